/**
 * Planning benchmark (issue 4): 100k agents across 500 accounts, half of the
 * accounts converged and half with changes of every kind the planner diffs.
 * Prints the median planning time of a few runs and the process's peak RSS.
 *
 *   npm run bench:plan
 */
import type { Desired } from '../src/model/desired.js';
import type { Observed, ObservedAccountContents } from '../src/model/observed.js';
import type { Remembered } from '../src/model/remembered.js';
import { makePlan } from '../src/plan/planner.js';
import type { Plan, PlanOptions } from '../src/plan/types.js';
import { computeFingerprint, newFingerprintKey } from '../src/state/fingerprint.js';

const ACCOUNTS = 500;
const AGENTS_PER_ACCOUNT = 200;
const DEPARTMENTS_PER_ACCOUNT = 10;
const RUNS = 5;

/** The state store's own keyed fingerprint: every agent here has a manifest password, the costly case. */
const fingerprintKey = newFingerprintKey();
const fingerprint = (plain: string) => computeFingerprint(fingerprintKey, plain);

function syntheticWorld(): { desired: Desired; observed: Observed; remembered: Remembered } {
  const desired: Desired = {
    accounts: [],
    departments: [],
    agents: [],
    kindsPresent: { accounts: true, departments: true, agents: true },
  };
  const observed: Observed = { accounts: new Map() };
  const remembered: Remembered = {
    accounts: [],
    agents: [],
    kindsSeen: { accounts: true, departments: true, agents: true },
    serial: 1,
  };
  let nextId = 1_000_000;
  for (let accountIndex = 0; accountIndex < ACCOUNTS; accountIndex += 1) {
    const key = `customer-${accountIndex}`;
    const accountId = 10_000 + accountIndex;
    const changed = accountIndex % 2 === 1;
    const fields = {
      email: `owner@${key}.example`,
      mainContact: `Owner ${accountIndex}`,
      licenseQuantity: 250,
    };
    desired.accounts.push({
      key,
      ...fields,
      status: 'active',
      source: { file: 'accounts.csv', row: accountIndex + 2 },
    });
    const applied = { ...fields, licenseQuantity: changed ? 200 : 250, status: 'active' as const };
    remembered.accounts.push({ key, accountId, createState: 'known', applied });
    const contents: ObservedAccountContents = { agents: [], departments: [] };
    observed.accounts.set(accountId, contents);
    const departmentNames: string[] = [];
    for (let index = 0; index < DEPARTMENTS_PER_ACCOUNT; index += 1) {
      const name = `Department ${index}`;
      departmentNames.push(name);
      const row = desired.departments.length + 2;
      const channels = changed && index % 3 === 0 ? (['chat', 'audio'] as const) : (['chat'] as const);
      desired.departments.push({
        account: { key },
        name,
        channels: [...channels],
        source: { file: 'departments.csv', row },
      });
      const remote = changed && index === DEPARTMENTS_PER_ACCOUNT - 1 ? undefined : { name, active: true };
      if (remote) {
        contents.departments.push({
          id: nextId++,
          accountId,
          ...remote,
          description: '',
          channels: ['chat'],
          agentIds: [],
        });
      }
    }
    for (let index = 0; index < AGENTS_PER_ACCOUNT; index += 1) {
      const email = `agent${index}@${key}.example`;
      const name = `Agent ${index}`;
      const password = `password-${accountIndex}-${index}`;
      const memberOf = [
        departmentNames[index % DEPARTMENTS_PER_ACCOUNT]!,
        departmentNames[(index * 7) % DEPARTMENTS_PER_ACCOUNT]!,
      ];
      const row = desired.agents.length + 2;
      desired.agents.push({
        account: { key },
        email,
        name,
        profile: 'AGENT',
        textLimit: 5,
        departments: memberOf,
        password,
        source: { file: 'agents.csv', row },
      });
      const missing = changed && index % 10 === 0;
      if (missing) continue;
      const id = nextId++;
      const renamed = changed && index % 10 === 1;
      contents.agents.push({
        id,
        accountId,
        email,
        name: renamed ? `Old ${name}` : name,
        profile: 'AGENT',
        active: true,
      });
      const stalePassword = changed && index % 10 === 2;
      remembered.agents.push({
        accountId,
        email,
        textLimit: changed && index % 10 === 3 ? 4 : 5,
        passwordFingerprint: fingerprint(stalePassword ? 'old' : password),
      });
      const remoteMembership =
        changed && index % 10 === 4 ? [departmentNames[(index + 1) % DEPARTMENTS_PER_ACCOUNT]!] : memberOf;
      for (const department of contents.departments) {
        if (remoteMembership.includes(department.name)) department.agentIds.push(id);
      }
    }
  }
  return { desired, observed, remembered };
}

const world = syntheticWorld();
const options: PlanOptions = {
  prune: true,
  allowDelete: false,
  maxDeactivations: { percent: 10 },
  fingerprint,
};
const clock = () => new Date();
const times: number[] = [];
const cpuTimes: number[] = [];
let plan: Plan | undefined;
for (let run = 0; run < RUNS; run += 1) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  plan = makePlan(world.desired, world.observed, world.remembered, options, clock);
  const cpu = process.cpuUsage(cpuStarted);
  times.push(performance.now() - started);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `bench:plan  ${ACCOUNTS} accounts, ${world.desired.agents.length} agents, ${world.desired.departments.length} departments`,
);
console.log(
  `  actions planned: ${plan!.actions.length} (${JSON.stringify(Object.fromEntries(Object.entries(plan!.counts).filter(([, n]) => n > 0)))})`,
);
console.log(
  `  plan time: median ${median(times).toFixed(0)} ms wall of ${RUNS} runs (min ${Math.min(...times).toFixed(0)} ms), ` +
    `median ${median(cpuTimes).toFixed(0)} ms CPU (process, GC threads included)`,
);
console.log(`  peak RSS: ${peakRssMb.toFixed(0)} MB (whole process, the synthetic world included)`);

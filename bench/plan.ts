/**
 * Planning benchmark (issue 4): 100k agents across 500 accounts, half of the
 * accounts converged and half with changes of every kind the planner diffs
 * (licenses, channels, a missing department, new, renamed and moved agents,
 * text limits, passwords). Every agent carries a manifest password, the costly
 * case: each existing one is fingerprinted with the state store's keyed HMAC.
 * Prints the median planning time of a few runs and the process's peak RSS.
 *
 *   npm run bench:plan
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

const fingerprintKey = newFingerprintKey();
const fingerprint = (plain: string) => computeFingerprint(fingerprintKey, plain);

/** Builds the three planner inputs, one account at a time. */
class SyntheticWorld {
  readonly desired: Desired = {
    accounts: [],
    departments: [],
    agents: [],
    kindsPresent: { accounts: true, departments: true, agents: true },
  };
  readonly observed: Observed = { accounts: new Map() };
  readonly remembered: Remembered = {
    accounts: [],
    agents: [],
    kindsSeen: { accounts: true, departments: true, agents: true },
    serial: 1,
  };
  private nextId = 1_000_000;

  /** One account; `changed` accounts differ from the manifest, the others match it. */
  account(index: number, changed: boolean): void {
    const key = `customer-${index}`;
    const accountId = 10_000 + index;
    const fields = { email: `owner@${key}.example`, mainContact: `Owner ${index}`, licenseQuantity: 250 };
    const source = { file: 'accounts.csv', row: index + 2 };
    this.desired.accounts.push({ key, ...fields, status: 'active', source });
    const applied = { ...fields, licenseQuantity: changed ? 200 : 250, status: 'active' as const };
    this.remembered.accounts.push({ key, accountId, createState: 'known', applied });
    const contents: ObservedAccountContents = { agents: [], departments: [] };
    this.observed.accounts.set(accountId, contents);
    const names = this.departments(key, accountId, contents, changed);
    for (let agent = 0; agent < AGENTS_PER_ACCOUNT; agent += 1)
      this.agent(key, index, agent, names, contents, changed);
  }

  private departments(key: string, accountId: number, contents: ObservedAccountContents, changed: boolean) {
    const names: string[] = [];
    for (let index = 0; index < DEPARTMENTS_PER_ACCOUNT; index += 1) {
      const name = `Department ${index}`;
      names.push(name);
      const channels: Array<'chat' | 'audio'> = changed && index % 3 === 0 ? ['chat', 'audio'] : ['chat'];
      const source = { file: 'departments.csv', row: this.desired.departments.length + 2 };
      this.desired.departments.push({ account: { key }, name, channels, source });
      if (changed && index === DEPARTMENTS_PER_ACCOUNT - 1) continue;
      const id = this.nextId++;
      contents.departments.push({
        id,
        accountId,
        name,
        description: '',
        active: true,
        channels: ['chat'],
        agentIds: [],
      });
    }
    return names;
  }

  private agent(
    key: string,
    accountIndex: number,
    index: number,
    names: string[],
    contents: ObservedAccountContents,
    changed: boolean,
  ): void {
    const email = `agent${index}@${key}.example`;
    const name = `Agent ${index}`;
    const password = `password-${accountIndex}-${index}`;
    const memberOf = [names[index % names.length]!, names[(index * 7) % names.length]!];
    const source = { file: 'agents.csv', row: this.desired.agents.length + 2 };
    const declared = {
      name,
      profile: 'AGENT' as const,
      textLimit: 5,
      departments: memberOf,
      password,
      source,
    };
    this.desired.agents.push({ account: { key }, email, ...declared });
    // In a changed account, one agent in ten of each kind: new, renamed, new password, new text limit, moved.
    const variant = changed ? index % 10 : -1;
    if (variant === 0) return;
    const id = this.nextId++;
    const accountId = 10_000 + accountIndex;
    const remoteName = variant === 1 ? `Old ${name}` : name;
    contents.agents.push({ id, accountId, email, name: remoteName, profile: 'AGENT', active: true });
    const passwordFingerprint = fingerprint(variant === 2 ? 'an older password' : password);
    this.remembered.agents.push({ accountId, email, textLimit: variant === 3 ? 4 : 5, passwordFingerprint });
    const remoteMembership = variant === 4 ? [names[(index + 1) % names.length]!] : memberOf;
    for (const department of contents.departments) {
      if (remoteMembership.includes(department.name)) department.agentIds.push(id);
    }
  }
}

const world = new SyntheticWorld();
for (let index = 0; index < ACCOUNTS; index += 1) world.account(index, index % 2 === 1);

// Each run starts from a collected heap, so the garbage of building the world is not billed to the planner.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const options: PlanOptions = {
  prune: true,
  allowDelete: false,
  maxDeactivations: { percent: 10 },
  fingerprint,
};
const times: number[] = [];
const cpuTimes: number[] = [];
let plan: Plan | undefined;
for (let run = 0; run < RUNS; run += 1) {
  plan = undefined;
  collectGarbage();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  plan = makePlan(world.desired, world.observed, world.remembered, options, () => new Date());
  const cpu = process.cpuUsage(cpuStarted);
  times.push(performance.now() - started);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const planned = Object.entries(plan!.counts).filter(([, count]) => count > 0);
const { accounts, departments, agents } = world.desired;
console.log(
  `bench:plan  ${accounts.length} accounts, ${departments.length} departments, ${agents.length} agents`,
);
console.log(
  `  actions planned: ${plan!.actions.length} (${planned.map(([kind, count]) => `${kind} ${count}`).join(', ')})`,
);
console.log(
  `  plan time: median ${median(times).toFixed(0)} ms wall of ${RUNS} runs (min ${Math.min(...times).toFixed(0)} ms), ` +
    `median ${median(cpuTimes).toFixed(0)} ms CPU (process, GC threads included)`,
);
const peakRss = process.resourceUsage().maxRSS / 1024;
console.log(`  peak RSS: ${peakRss.toFixed(0)} MB (whole process, the synthetic world included)`);

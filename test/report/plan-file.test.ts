import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Plan, PlannedAction } from '../../src/plan/index.js';
import { renderPlanJson } from '../../src/plan/render.js';
import { planFromDocument } from '../../src/report/plan-expand.js';
import { PlanFileDraft, writePlanFile } from '../../src/report/plan-file.js';
import { readSavedPlan, writeSavedPlan } from '../../src/run/saved-plan-file.js';
import { scenarios } from '../plan/arbitraries.js';
import { planFor, world } from '../plan/world.js';

const plan = () =>
  world('roster.xlsx')
    .account('acme', { email: 'new@acme.example', licenseQuantity: 12 })
    .department('Vendas', { channels: ['chat'] }, { remote: false })
    .agent('ana@acme.com.br', { departments: ['Vendas'] }, { remote: false })
    .agent('bia@acme.com.br', { departments: ['Vendas'], name: 'Bia' }, { remote: { name: 'Beatriz' } })
    .plan();

const folder = () => mkdtempSync(join(tmpdir(), 'plan-file-'));

/** The plan as a reader of plan.json gets it back: format 2 restored. */
function writtenAndRead(value: Plan): { text: string; read: Plan } {
  const path = join(folder(), 'plan.json');
  writePlanFile(path, value);
  const text = readFileSync(path, 'utf8');
  return { text, read: planFromDocument(JSON.parse(text)) };
}

/** The plan as `plan --json` prints it, parsed: what format 2 must give back. */
const asJson = (value: Plan): Plan => JSON.parse(renderPlanJson(value));

describe('writePlanFile', () => {
  it('writes format 2, compact, one action per line, and reads back as plan --json prints it', () => {
    const value = plan();
    const { text, read } = writtenAndRead(value);
    expect(read).toEqual(asJson(value));
    expect(text.split('\n').length).toBeGreaterThan(value.actions.length);
    expect(text).not.toContain('\n  ');
    expect(text.indexOf('"formatVersion":2')).toBeLessThan(text.indexOf('"actions"'));
    expect(text.indexOf('"files"')).toBeLessThan(text.indexOf('"actions"'));
  });

  it('names each manifest file once and each action by its position', () => {
    const value = plan();
    const { text } = writtenAndRead(value);
    expect(text.split('roster.xlsx').length - 1).toBe(1);
    for (const action of value.actions) expect(text).not.toContain(`"${action.id}"`);
  });

  it('reads back what the planner makes, for any world', () => {
    fc.assert(
      fc.property(scenarios, ({ world: random, options }) => {
        const value = planFor(random, options);
        expect(writtenAndRead(value).read).toEqual(asJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every cause, and a member cause that is not the batch cause (CONTRACT §14)', () => {
    const value = plan();
    const causes = ['drift', 'manifest', 'new'] as const;
    const mixed: Plan = {
      ...value,
      actions: value.actions.map((action, index): PlannedAction => {
        const cause = causes[index % causes.length]!;
        if (action.kind !== 'department.add_agents') return { ...action, cause };
        const agents = action.params.agents.map((member, at) => ({
          ...member,
          cause: at === 0 ? 'drift' : cause,
        }));
        return { ...action, cause, params: { ...action.params, agents } };
      }),
    };
    const batch = mixed.actions.find((action) => action.kind === 'department.add_agents');
    expect(batch?.kind === 'department.add_agents' && batch.params.agents.map((m) => m.cause)).toContain(
      'drift',
    );
    const { text, read } = writtenAndRead(mixed);
    expect(read).toEqual(JSON.parse(JSON.stringify(mixed)));
    expect(text).toContain('"cause":"drift"');
    expect(read.actions.map((action) => action.cause)).toEqual(mixed.actions.map((action) => action.cause));
  });

  it('keeps what no rule gives back: an unusual ID, order, label or source', () => {
    const value = plan();
    const batch = value.actions.find((action) => action.kind === 'department.add_agents')!;
    const create = value.actions.find((action) => action.kind === 'agent.create')!;
    const odd: Plan = {
      ...value,
      actions: value.actions.map((action): PlannedAction => {
        if (action === create) return { ...action, before: { name: null }, after: { name: 'Other' } };
        if (action !== batch || action.kind !== 'department.add_agents') return action;
        const [first, ...others] = action.params.agents;
        return {
          ...action,
          id: `${action.id}#2`,
          dependsOn: [...action.dependsOn].reverse(),
          after: { agents: ['someone else'] },
          params: {
            ...action.params,
            agents: [
              { ...first!, label: 'ANA@acme.com.br', reason: 'adopted', source: undefined },
              ...others,
            ],
          },
        };
      }),
    };
    const { read } = writtenAndRead(odd);
    expect(read).toEqual(JSON.parse(JSON.stringify(odd)));
  });
});

describe('saved plans', () => {
  const saved = () => ({
    manifestDigest: 'm',
    observedDigest: 'o',
    state: { identity: 'i', serial: 3 },
    options: { prune: false, allowDelete: false, maxDeactivations: { percent: 10 } },
    plan: plan(),
  });

  it('saves a plan that apply --plan reads back as it was', () => {
    const path = join(folder(), 'saved.json');
    const value = saved();
    writeSavedPlan(path, value);
    expect(JSON.parse(readFileSync(path, 'utf8')).formatVersion).toBe(2);
    expect(readSavedPlan(path)).toEqual({
      format: 'omnize-sync-plan',
      formatVersion: 1,
      ...JSON.parse(JSON.stringify(value)),
    });
  });

  it('still reads a plan saved in format 1, pretty-printed', () => {
    const path = join(folder(), 'saved.json');
    const value = { format: 'omnize-sync-plan', formatVersion: 1, ...saved() };
    writeFileSync(path, JSON.stringify(value, null, 2));
    expect(readSavedPlan(path)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('reads back the manifest paths a plan recorded, and a plan saved without them as having none', () => {
    const path = join(folder(), 'saved.json');
    const manifestPaths = [{ path: '/srv/roster/agents.csv', given: 'roster/agents.csv' }];
    writeSavedPlan(path, { ...saved(), manifestPaths });
    expect(readSavedPlan(path).manifestPaths).toEqual(manifestPaths);
    // A plan saved before the paths were recorded: format 2, no field.
    writeSavedPlan(path, saved());
    expect(JSON.parse(readFileSync(path, 'utf8'))).not.toHaveProperty('manifestPaths');
    expect(readSavedPlan(path).manifestPaths).toBeUndefined();
  });

  it.each([
    ['a relative path', [{ path: 'roster/agents.csv', given: 'roster/agents.csv' }]],
    ['no path', []],
    ['a bare string', ['/srv/roster/agents.csv']],
  ])('refuses recorded manifest paths holding %s, naming the file', (_, manifestPaths) => {
    const path = join(folder(), 'saved.json');
    writeSavedPlan(path, { ...saved(), manifestPaths } as never);
    expect(() => readSavedPlan(path)).toThrow(
      /saved\.json: the saved plan is damaged \(manifestPaths is not a list of paths\)/,
    );
  });

  it('refuses a format it does not know, and a damaged plan, naming the file', () => {
    const path = join(folder(), 'saved.json');
    writeFileSync(
      path,
      JSON.stringify({ format: 'omnize-sync-plan', formatVersion: 3, state: {}, plan: {} }),
    );
    expect(() => readSavedPlan(path)).toThrow(
      /saved in plan format 3, this omnize-sync reads formats 1 and 2/,
    );
    writeSavedPlan(path, saved());
    writeFileSync(path, readFileSync(path, 'utf8').replace(/"fromAction":\d+/, '"fromAction":999'));
    expect(() => readSavedPlan(path)).toThrow(UsageError);
    expect(() => readSavedPlan(path)).toThrow(
      /saved\.json: the saved plan is damaged \(a reference to action 999/,
    );
  });
});

describe('PlanFileDraft', () => {
  /** A plan of `agents` agent creates and the department that gathers them: one line each in plan.json. */
  const largerPlan = (agents: number) => {
    let building = world('roster.xlsx')
      .account('acme', { email: 'new@acme.example', licenseQuantity: 12 })
      .department('Vendas', { channels: ['chat'] }, { remote: false });
    for (let number = 1; number <= agents; number += 1) {
      building = building.agent(
        `agente${number}@acme.com.br`,
        { departments: ['Vendas'] },
        { remote: false },
      );
    }
    return building.plan();
  };
  const turns = async (count: number) => {
    for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  const fileOf = (write: (path: string) => void) => {
    const path = join(folder(), 'plan.json');
    write(path);
    return readFileSync(path, 'utf8');
  };
  const limits = { maxActions: 10_000, maxCharacters: 4 * 1024 * 1024, sliceMs: 1 };
  const expectTheFileOfWritePlanFile = (draft: PlanFileDraft, value: Plan) => {
    expect(fileOf((path) => draft.write(path))).toBe(fileOf((path) => writePlanFile(path, value)));
  };

  it('drafts the whole plan.json while the event loop is idle, and writes what writePlanFile writes', async () => {
    const value = largerPlan(300);
    const draft = PlanFileDraft.begin(value, limits)!;
    expect(draft.complete).toBe(false);
    await turns(50);
    expect(draft.complete).toBe(true);
    expectTheFileOfWritePlanFile(draft, value);
  });

  it('drafts one slice per turn, and writes the rest when the report is due before it is done', async () => {
    const value = largerPlan(300);
    const draft = PlanFileDraft.begin(value, { ...limits, sliceMs: 0 })!;
    await turns(20);
    expect(draft.complete).toBe(false);
    expectTheFileOfWritePlanFile(draft, value);
  });

  it('drops a draft that outgrows its bound and writes the file anew, and drafts no plan past maxActions', async () => {
    const value = largerPlan(300);
    const draft = PlanFileDraft.begin(value, { ...limits, maxCharacters: 2_000 })!;
    await turns(50);
    expect(draft.complete).toBe(false);
    expectTheFileOfWritePlanFile(draft, value);
    expect(PlanFileDraft.begin(value, { ...limits, maxActions: value.actions.length - 1 })).toBeUndefined();
  });

  it('writes a whole file again when written twice', async () => {
    const value = largerPlan(20);
    const draft = PlanFileDraft.begin(value, limits)!;
    await turns(50);
    const first = fileOf((path) => draft.write(path));
    expect(fileOf((path) => draft.write(path))).toBe(first);
  });
});

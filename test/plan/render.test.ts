import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  orderPlanKeys,
  renderPlanJson,
  renderPlanText,
  stringifyInPlanOrder,
  writePlanJson,
  writePlanText,
} from '../../src/plan/render.js';
import { testFingerprint, world } from './world.js';

/** A plan with one action of nearly every kind, for the renderers. */
const busyWorld = (workbook?: string) =>
  world(workbook)
    .account(
      'acme',
      { email: 'new@acme.example', licenseQuantity: 12 },
      {
        applied: {
          email: 'old@acme.example',
          mainContact: 'Owner of acme',
          licenseQuantity: 10,
          status: 'active',
        },
      },
    )
    .department('Vendas', { channels: ['chat', 'audio'] }, { remote: { channels: ['chat', 'video'] } })
    .department('Suporte', { channels: ['chat'] }, { remote: false })
    .department('Legado', {}, { declared: false })
    .agent(
      'ana@acme.com.br',
      { departments: ['Suporte', 'Vendas'], password: 'Sup3r-Secret!' },
      { remote: false },
    )
    .agent(
      'bia@acme.example',
      { name: 'Beatriz', profile: 'ADMIN', departments: ['Vendas'] },
      { remote: { name: 'Bia', profile: 'AGENT' } },
    )
    .agent('old@acme.example', {}, { declared: false, remoteDepartments: ['Vendas'] })
    .account('beta', { licenseCode: 'PARTNER_X' }, { state: 'new' });

describe('renderPlanText', () => {
  it('groups lines by account, each naming its manifest row, then a summary line', () => {
    const text = renderPlanText(busyWorld().plan({ prune: true }));
    expect(text).toBe(
      [
        'account acme',
        '  ~ account acme: email: "old@acme.example" → "new@acme.example"   accounts.csv:2',
        '  ~ account acme: licenses: 10 → 12   accounts.csv:2',
        '  ~ department Vendas: channels + audio, channels - video   departments.csv:2',
        '  + department Suporte (active, channels chat)   departments.csv:3',
        '  - department Legado (absent from manifest)',
        '  + agent ana@acme.com.br (profile AGENT)   agents.csv:2',
        '  ~ agent bia@acme.example: name: "Bia" → "Beatriz"   agents.csv:3',
        '  ~ agent bia@acme.example: profile: "AGENT" → "ADMIN"   agents.csv:3',
        '  ~ department Vendas: + 1 agent (ana@acme.com.br), - 1 agent (old@acme.example)   departments.csv:2',
        '  ~ department Suporte: + 1 agent (ana@acme.com.br)   departments.csv:3',
        '  ! agent old@acme.example is not in the manifest but stays active: the API cannot deactivate agents',
        'account beta',
        '  + account beta (owner@beta.example, 10 licenses)   accounts.csv:3',
        '  ~ account beta: license code: "PARTNER_X"   accounts.csv:3',
        'Plan: 3 to create, 8 to update, 3 to deactivate or remove, 0 to delete.',
        '',
      ].join('\n'),
    );
  });

  it('names workbook rows with their sheet', () => {
    const text = renderPlanText(busyWorld('roster.xlsx').plan());
    expect(text).toContain('~ agent bia@acme.example: name: "Bia" → "Beatriz"   roster.xlsx:agents:3');
  });

  it('says so when there is nothing to do', () => {
    const text = renderPlanText(world().account('acme').department('Vendas').plan());
    expect(text).toBe('No changes. The live state matches the manifest.\n');
  });

  it('does not claim the live state matches when rows could not be planned', () => {
    const text = renderPlanText(
      world().account('acme', {}, { state: 'unknown' }).department('Vendas').plan(),
    );
    expect(text).toBe(
      [
        'account acme',
        '  ! account acme was sent to the API earlier but the outcome was never learnt; nothing in it is planned. Find its Omnize ID and run: omnize-sync state adopt acme ID   accounts.csv:2',
        'No changes planned, but some rows could not be planned: see the notes above.',
        '',
      ].join('\n'),
    );
  });

  it('shows deletes waiting for --allow-delete, notices, and the guard verdict', () => {
    const plan = world()
      .account(
        'acme',
        { status: 'deleted' },
        { applied: { email: 'x', mainContact: 'y', licenseQuantity: 1 } },
      )
      .account('beta')
      .department('A', {}, { declared: false })
      .department('B', {}, { declared: false })
      .plan({ prune: true, maxDeactivations: { count: 1 } });
    const text = renderPlanText(plan);
    expect(text).toContain(
      '  - account acme: delete (marked deleted), needs --allow-delete   accounts.csv:2\n',
    );
    expect(text).toContain(
      '  ! account acme is marked deleted; it is deleted only when the run is given --allow-delete',
    );
    expect(text).toContain(
      'Safety guard: the plan would deactivate, delete or remove 2 entities, more than the limit of 1 (--max-deactivations 1).',
    );
    expect(text).toMatch(
      /Plan: 0 to create, 0 to update, 2 to deactivate or remove, 0 to delete\. 1 more to delete with --allow-delete\.\n$/,
    );
  });

  it('shows the unknown earlier values of an adopted account', () => {
    const text = renderPlanText(world().account('acme', {}, { state: 'adopt' }).plan());
    expect(text).toContain(
      '~ account acme (adopted): email: (unknown) → "owner@acme.example", main contact: (unknown) → "Owner of acme"',
    );
  });

  it('marks a department line that only removes channels or members with `-`, as CONTRACT §5 marks removals', () => {
    const text = renderPlanText(
      world()
        .account('acme')
        .department('Vendas', { channels: ['chat'] }, { remote: { channels: ['chat', 'video'] } })
        .agent('bia@acme.example', { departments: [] }, { remoteDepartments: ['Vendas'] })
        .plan(),
    );
    expect(text).toContain('  - department Vendas: channels - video   departments.csv:2\n');
    expect(text).toContain('  - department Vendas: - 1 agent (bia@acme.example)   departments.csv:2\n');
  });

  it('counts long membership batches and names the first few agents', () => {
    let builder = world().account('acme').department('Vendas');
    for (let index = 0; index < 5; index += 1)
      builder = builder.agent(`a${index}@x.example`, { departments: ['Vendas'] }, { remoteDepartments: [] });
    expect(renderPlanText(builder.plan())).toContain(
      '~ department Vendas: + 5 agents (a0@x.example, a1@x.example, a2@x.example, …)',
    );
  });
});

describe('renderPlanJson', () => {
  it('orders keys the same way whatever order the plan was built in', () => {
    const plan = busyWorld().plan();
    const reversed = JSON.parse(JSON.stringify(plan, (_key, value) => reverseKeys(value)));
    expect(renderPlanJson(reversed)).toBe(renderPlanJson(plan));
    const json = renderPlanJson(plan);
    expect(json.indexOf('"formatVersion"')).toBeLessThan(json.indexOf('"actions"'));
    expect(json.indexOf('"id": "account.update:acme:acme"')).toBeLessThan(
      json.indexOf('"kind": "account.update"'),
    );
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  it('holds no password, digest or fingerprint of one', () => {
    const secret = 'Sup3r-Secret!';
    const json = renderPlanJson(busyWorld().plan());
    const text = renderPlanText(busyWorld().plan());
    const digest = createHash('sha256').update(secret).digest('hex');
    for (const output of [json, text]) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(digest);
      expect(output).not.toContain(testFingerprint(secret));
    }
    expect(json).toContain('"password": "from-manifest"');
  });

  it('is the same for the same inputs', () => {
    expect(renderPlanJson(busyWorld().plan({ prune: true }))).toBe(
      renderPlanJson(busyWorld().plan({ prune: true })),
    );
  });
});

function reverseKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse());
}

describe('the plan written piece by piece', () => {
  const plans = () => [busyWorld().plan({ prune: true }), busyWorld().plan({}), world().plan({})];

  it('writes the bytes JSON.stringify gives for the whole plan, an action per piece', () => {
    for (const plan of plans()) {
      const pieces: string[] = [];
      writePlanJson({ write: (text) => pieces.push(text) }, plan);
      expect(pieces.join('')).toBe(`${JSON.stringify(plan, orderPlanKeys, 2)}\n`);
      expect(pieces.length).toBeGreaterThan(plan.actions.length);
    }
  });

  it('writes the readable plan a line per piece, never the whole text at once', () => {
    const plan = busyWorld().plan({ prune: true });
    const pieces: string[] = [];
    writePlanText({ write: (text) => pieces.push(text) }, plan);
    expect(pieces.join('')).toBe(renderPlanText(plan));
    expect(pieces.every((piece) => piece.endsWith('\n') && piece.indexOf('\n') === piece.length - 1)).toBe(
      true,
    );
  });
});

describe('stringifyInPlanOrder', () => {
  // Keys of the plan's order, out of it and not in it, at every depth; Dates and other toJSON among the values.
  const key = fc.constantFrom(
    'kind',
    'account',
    'target',
    'params',
    'source',
    'id',
    'email',
    'agents',
    'zeta',
    'alpha',
  );
  const value = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
      ),
      fc.date({ noInvalidDate: true }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6 }).map((json) => ({ toJSON: () => json })),
    ),
  })).value;

  it('writes what JSON.stringify with orderPlanKeys writes, for any value, indented or not', () => {
    fc.assert(
      fc.property(value, fc.constantFrom(undefined, 2), (shown, space) => {
        expect(stringifyInPlanOrder(shown, space)).toBe(JSON.stringify(shown, orderPlanKeys, space));
      }),
      { numRuns: 2000 },
    );
  });

  it('puts the keys of an object built out of order in plan order', () => {
    expect(stringifyInPlanOrder({ params: { b: 1, a: 2 }, kind: 'agent.create' })).toBe(
      '{"kind":"agent.create","params":{"a":2,"b":1}}',
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { only, summary } from './helpers.js';
import { applyPlan } from './model.js';
import { planFor, testFingerprint, world } from './world.js';

const acme = () => world().account('acme');

describe('planner: agents', () => {
  const cases: Array<{ name: string; plan: () => Plan; expected: string[] }> = [
    {
      name: 'a missing agent is created',
      plan: () => acme().agent('ana@acme.example', {}, { remote: false }).plan(),
      expected: ['agent.create acme/ana@acme.example missing-remote'],
    },
    {
      name: 'e-mails match case-insensitively',
      plan: () =>
        acme()
          .agent('Ana@ACME.example', {}, { remote: { email: 'ana@acme.example' } })
          .plan(),
      expected: [],
    },
    {
      name: 'a changed name is an update',
      plan: () =>
        acme()
          .agent('bia@acme.example', { name: 'Beatriz' }, { remote: { name: 'Bia' } })
          .plan(),
      expected: ['agent.update acme/bia@acme.example field-changed'],
    },
    {
      name: 'a text limit that differs from the one last applied is an update',
      plan: () =>
        acme()
          .agent('bia@acme.example', { textLimit: 5 }, { remembered: { textLimit: 3 } })
          .plan(),
      expected: ['agent.update acme/bia@acme.example field-changed'],
    },
    {
      name: 'a text limit never applied is an update',
      plan: () => acme().agent('bia@acme.example', { textLimit: 5 }, { remembered: false }).plan(),
      expected: ['agent.update acme/bia@acme.example field-changed'],
    },
    {
      name: 'no text_limit column leaves the text limit alone',
      plan: () =>
        acme()
          .agent('bia@acme.example', {}, { remembered: { textLimit: 3 } })
          .plan(),
      expected: [],
    },
    {
      name: 'a password whose fingerprint differs is sent',
      plan: () =>
        acme()
          .agent('bia@acme.example', { password: 'new-pass' }, { remembered: { password: 'old' } })
          .plan(),
      expected: ['agent.update acme/bia@acme.example password-changed'],
    },
    {
      name: 'an existing agent the state store has no record of keeps its password',
      plan: () =>
        acme().agent('bia@acme.example', { password: 'maybe-changed-since' }, { remembered: false }).plan(),
      expected: [],
    },
    {
      name: 'an agent created with a generated password gets the manifest one once it has one',
      plan: () =>
        acme()
          .agent('bia@acme.example', { password: 'now-in-manifest' }, { remembered: { generated: true } })
          .plan(),
      expected: ['agent.update acme/bia@acme.example password-changed'],
    },
    {
      // On record for values that already matched (an adopted agent): this tool never gave it a password.
      name: 'an agent on record without a fingerprint keeps its own password: nothing is sent',
      plan: () =>
        acme().agent('bia@acme.example', { password: 'now-in-manifest' }, { remembered: {} }).plan(),
      expected: [],
    },
    {
      name: 'the same password is not sent again',
      plan: () => acme().agent('bia@acme.example', { password: 'same-pass' }).plan(),
      expected: [],
    },
    {
      name: 'a managed profile that differs is set',
      plan: () =>
        acme()
          .agent('bia@acme.example', { profile: 'ADMIN' }, { remote: { profile: 'AGENT' } })
          .plan(),
      expected: ['agent.set_profile acme/bia@acme.example field-changed'],
    },
    {
      name: 'no profile column leaves the profile alone',
      plan: () =>
        acme()
          .agent('bia@acme.example', {}, { remote: { profile: 'ADMIN' } })
          .plan(),
      expected: [],
    },
  ];

  it.each(cases)('$name', ({ plan, expected }) => {
    expect(summary(plan())).toEqual(expected);
  });

  it('creates with profile AGENT by default and a password generated at apply time', () => {
    const plan = acme().agent('ana@acme.example', { name: 'Ana' }, { remote: false }).plan();
    const create = only(plan, 'agent.create');
    expect(create.id).toBe('agent.create:acme:ana@acme.example');
    expect(create.params).toEqual({
      accountId: 100,
      email: 'ana@acme.example',
      name: 'Ana',
      profile: 'AGENT',
      password: 'generated',
    });
  });

  it('creates with the manifest profile, text limit and password', () => {
    const plan = acme()
      .agent('ana@acme.example', { profile: 'ADMIN', textLimit: 4, password: 'pw-123' }, { remote: false })
      .plan();
    const create = only(plan, 'agent.create');
    expect(create.params).toMatchObject({ profile: 'ADMIN', textLimit: 4, password: 'from-manifest' });
    expect(create.after).toEqual({
      email: 'ana@acme.example',
      name: 'Name of ana@acme.example',
      profile: 'ADMIN',
      textLimit: 4,
    });
  });

  it('always sends e-mail and name on update, and the password only when it changed', () => {
    const plan = acme()
      .agent(
        'bia@acme.example',
        { name: 'Beatriz', textLimit: 2, password: 'same' },
        { remote: { name: 'Bia' } },
      )
      .plan();
    const update = only(plan, 'agent.update');
    expect(update.params).toEqual({
      agentId: 1000,
      email: 'bia@acme.example',
      name: 'Beatriz',
      textLimit: 2,
    });
    expect(update.before).toEqual({ name: 'Bia' });
    expect(update.after).toEqual({ name: 'Beatriz' });
  });

  it('marks a password change without showing the password', () => {
    const plan = acme()
      .agent('bia@acme.example', { password: 'new-pass' }, { remembered: { password: 'old-pass' } })
      .plan();
    const update = only(plan, 'agent.update');
    expect(update.params.password).toBe('from-manifest');
    expect(update.after).toEqual({ password: '(changed)' });
    expect(JSON.stringify(update)).not.toContain('new-pass');
  });

  it('lists an unrecorded existing agent with a manifest password for its fingerprint to be recorded', () => {
    const plan = acme()
      .agent('Bia@Acme.example', { password: 'maybe-changed-since' }, { remembered: false })
      .plan();
    expect(plan.passwordsToRecord).toEqual([
      {
        account: 'acme',
        accountId: 100,
        email: 'Bia@Acme.example',
        agentId: 1000,
        source: { file: 'agents.csv', row: 2 },
      },
    ]);
    expect(JSON.stringify(plan)).not.toContain('maybe-changed-since');
    expect(JSON.stringify(plan)).not.toContain(testFingerprint('maybe-changed-since'));
  });

  it('updates an unrecorded agent whose name changed without sending its password', () => {
    const plan = acme()
      .agent(
        'bia@acme.example',
        { name: 'Beatriz', password: 'maybe-changed-since' },
        { remote: { name: 'Bia' }, remembered: false },
      )
      .plan();
    const update = only(plan, 'agent.update');
    expect(update.reason).toBe('field-changed');
    expect(update.params).toEqual({ agentId: 1000, email: 'bia@acme.example', name: 'Beatriz' });
    expect(update.after).toEqual({ name: 'Beatriz' });
    expect(plan.passwordsToRecord?.map((entry) => entry.email)).toEqual(['bia@acme.example']);
  });

  it('records nothing for agents on record, agents to create, or rows without a password', () => {
    const plan = acme()
      .agent('on-record@acme.example', { password: 'same-pass' })
      .agent('changed@acme.example', { password: 'new-pass' }, { remembered: { password: 'old-pass' } })
      .agent('new@acme.example', { password: 'first-pass' }, { remote: false })
      .agent('no-password@acme.example', {}, { remembered: false })
      .plan();
    expect(plan.passwordsToRecord).toEqual([]);
    expect(summary(plan)).toEqual([
      'agent.update acme/changed@acme.example password-changed',
      'agent.create acme/new@acme.example missing-remote',
    ]);
  });

  it('sends a manifest password that changed after the kept one was recorded', () => {
    const adopted = acme()
      .agent('bia@acme.example', { password: 'kept-pass' }, { remembered: false })
      .build();
    const recorded = applyPlan(adopted, planFor(adopted));
    expect(planFor(recorded).actions).toEqual([]);
    recorded.desired.agents[0]!.password = 'changed-pass';
    expect(summary(planFor(recorded))).toEqual(['agent.update acme/bia@acme.example password-changed']);
  });

  it('compares remembered values of the agent in its own account only', () => {
    const plan = world()
      .account('acme')
      .agent('ana@x.example', { textLimit: 3 })
      .account('beta')
      .agent('bob@x.example', { textLimit: 3 }, { remembered: { textLimit: 9 } })
      .plan();
    expect(summary(plan)).toEqual(['agent.update beta/bob@x.example field-changed']);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/omnize/password.js';
import { GENERATED_PASSWORD_MARK } from '../../src/state/fingerprint.js';
import { harness, statuses } from './harness.js';
import { accountCreate, action, addAgents, agentCreate, planOf } from './plans.js';

/** The bytes of a store file and its write-ahead log, as one text to search. */
function storeBytes(path: string): string {
  const files = [path, `${path}-wal`].filter((file) => existsSync(file));
  return files.map((file) => readFileSync(file).toString('latin1')).join('');
}

describe('journal and state records', () => {
  it('journals each write before it is sent, settles it after, and commits a new account ID and its settlement before its dependents run', async () => {
    const { timeline, store, apply } = harness();
    const account = accountCreate('acme');
    const agent = agentCreate(account, 'ana@acme.example');
    const result = await apply(planOf(account, agent));

    expect(timeline).toEqual([
      'store journalBegin',
      'send createAccount',
      'store recordAccountCreated',
      'store journalSettle',
      'store journalBegin',
      'send createAgent',
      // A settlement may lag (it waits for the next group commit); what the try applied never does.
      'store recordAgentApplied',
      'store journalSettle',
    ]);
    const accountOutcome = result.outcomes.get(account.id);
    const accountId = accountOutcome?.status === 'ok' ? accountOutcome.remoteId : undefined;
    expect(store.getAccount('acme')).toMatchObject({
      accountId,
      createState: 'known',
      applied: {
        email: 'owner@acme.example',
        mainContact: 'Owner of acme',
        licenseQuantity: 10,
        status: 'active',
      },
    });
    const journal = store.journalOfRun('run-1');
    expect(journal).toMatchObject([
      {
        actionId: account.id,
        kind: 'account.create',
        accountKey: 'acme',
        outcome: 'ok',
        remoteId: accountId,
      },
      { actionId: agent.id, kind: 'agent.create', target: 'ana@acme.example', outcome: 'ok' },
    ]);
    expect(journal.every((entry) => entry.settledAt !== null)).toBe(true);
    expect(store.listAgents(accountId)).toEqual([
      expect.objectContaining({ email: 'ana@acme.example', textLimit: 3 }),
    ]);
  });

  it('journals every write request, each try, look-up-guarded resend and bisection probe, with its own outcome', async () => {
    const { client, store, apply } = harness();
    client.script('createAgent', [{ transient: 'timeout' }]);
    const agent = agentCreate(42, 'ana@acme.example');
    const department = client.addDepartment(42, 'Sales');
    const members = [1, 2, 3, 4].map((index) => client.addAgent(42, `agent${index}@acme.example`));
    client.refusedMembers.set(members[3]!.id, 'Agent already belongs to another account');
    const batch = addAgents(
      department.id,
      members.map((member) => member.id),
    );
    const result = await apply(planOf(agent, batch));

    const created = result.outcomes.get(agent.id);
    const journal = store.journalOfRun('run-1');
    const entriesOf = (actionId: string) =>
      journal
        .filter((entry) => entry.actionId === actionId)
        .map(({ outcome, remoteId, error }) => ({ outcome, remoteId, error }));
    // The lost answer, then (after a look-up found nothing) the create sent again.
    expect(entriesOf(agent.id)).toEqual([
      { outcome: 'unknown', remoteId: null, error: expect.stringContaining('timeout') },
      { outcome: 'ok', remoteId: created?.status === 'ok' ? created.remoteId : -1, error: null },
    ]);
    // The batch of 4, then its halves, then the quarters of the half that was refused.
    const refused = { outcome: 'failed', remoteId: null, error: 'Agent already belongs to another account' };
    const landed = { outcome: 'ok', remoteId: null, error: null };
    expect(entriesOf(batch.id)).toEqual([refused, landed, refused, landed, refused]);
    expect(journal.every((entry) => entry.settledAt !== null)).toBe(true);
  });

  it('leaves an account create recoverable whenever the run is killed: an open entry, or the record', async () => {
    const { client, store, writes, apply } = harness();
    client.script('createAccount', [{ transient: 'timeout' }]);
    const seen: string[] = [];
    client.onStart = () => {
      const open = store.unsettledJournal().map((entry) => entry.kind);
      seen.push(`in flight: open ${open.join(',')}, account ${store.getAccount('acme')?.createState}`);
    };
    const settle = writes.journalSettle;
    writes.journalSettle = (entry, settlement) => {
      seen.push(`settling ${settlement.outcome}: account ${store.getAccount('acme')?.createState}`);
      return settle(entry, settlement);
    };
    const account = accountCreate('acme');
    const result = await apply(planOf(account));
    expect(result.outcomes.get(account.id)?.status).toBe('unknown');
    expect(seen).toEqual([
      'in flight: open account.create, account undefined',
      'settling unknown: account unknown',
    ]);
  });

  it('journals nothing for an action that sends nothing', async () => {
    const { store, apply } = harness();
    await apply(
      planOf(action('account.delete', 'old', 'old', { accountId: 3 }, { requires: 'allow-delete' })),
    );
    expect(store.journalOfRun('run-1')).toEqual([]);
  });

  it('records what each account action applied, adopting an account the state does not know', async () => {
    const { client, store, apply } = harness();
    const key = 'acme';
    const update = action('account.update', key, key, {
      accountId: 55,
      email: 'new@acme.example',
      mainContact: 'Ana',
      phone: '+55 11 5555-0000',
    });
    const licenses = action('account.set_licenses', key, key, { accountId: 55, licenseQuantity: 12 });
    const code = action('account.set_license_code', key, key, { accountId: 55, licenseCode: 'PARTNER_X' });
    const deactivate = action('account.deactivate', key, key, { accountId: 55 });
    const byId = action('account.activate', '#77', '#77', { accountId: 77 });
    const result = await apply(planOf(update, licenses, code, deactivate, byId));

    expect(Object.values(statuses(result))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(store.getAccount(key)).toMatchObject({
      accountId: 55,
      applied: {
        email: 'new@acme.example',
        mainContact: 'Ana',
        phone: '+55 11 5555-0000',
        licenseQuantity: 12,
        licenseCode: 'PARTNER_X',
        status: 'inactive',
      },
    });
    expect(store.getAccount('#77')).toBeUndefined();
    expect(store.listAccounts()).toHaveLength(1);
    expect(client.calls('updateAccount')[0]!.args).toEqual([
      55,
      { email: 'new@acme.example', mainContact: 'Ana', phone: '+55 11 5555-0000' },
    ]);
  });

  it('records nothing for an account action that failed', async () => {
    const { client, store, apply } = harness();
    client.script('setLicenseQuantity', [{ reject: 'Account not found' }]);
    await apply(
      planOf(action('account.set_licenses', 'acme', 'acme', { accountId: 55, licenseQuantity: 12 })),
    );
    expect(store.getAccount('acme')).toBeUndefined();
  });

  it('sends manifest passwords as their SHA-256 and keeps only keyed fingerprints', async () => {
    const accountPassword = 'Acc0unt-Secret!';
    const agentPassword = 'Ag3nt-Secret!';
    const { client, store, events, apply } = harness({
      passwords: { acme: accountPassword, 'ana@acme.example': agentPassword },
    });
    const account = accountCreate('acme', 'from-manifest');
    const agent = agentCreate(account, 'ana@acme.example', 'from-manifest');
    const update = action('agent.update', 'acme', 'ana@acme.example', {
      agentId: { fromAction: agent.id },
      email: 'ana@acme.example',
      name: 'Ana',
      textLimit: 9,
      password: 'from-manifest',
    });
    update.dependsOn = [agent.id];
    const result = await apply(planOf(account, agent, update));

    expect(Object.values(statuses(result))).toEqual(['ok', 'ok', 'ok']);
    expect(client.calls('createAccount')[0]!.args[0]).toMatchObject({
      passwordSha256: sha256Hex(accountPassword),
    });
    expect(client.calls('createAgent')[0]!.args[0]).toMatchObject({
      passwordSha256: sha256Hex(agentPassword),
    });
    expect(client.calls('updateAgent')[0]!.args[1]).toMatchObject({
      passwordSha256: sha256Hex(agentPassword),
    });
    expect(store.getAccount('acme')?.passwordFingerprint).toBe(store.fingerprint(accountPassword));
    expect(store.listAgents()).toEqual([
      expect.objectContaining({ textLimit: 9, passwordFingerprint: store.fingerprint(agentPassword) }),
    ]);

    const secrets = [accountPassword, agentPassword, sha256Hex(accountPassword), sha256Hex(agentPassword)];
    const reported = JSON.stringify({
      events,
      outcomes: [...result.outcomes],
      journal: store.journalOfRun('run-1'),
    });
    const bytes = storeBytes(store.path);
    for (const secret of secrets) {
      expect(reported).not.toContain(secret);
      expect(bytes).not.toContain(secret);
    }
  });

  it('never writes a generated password anywhere, not even as a fingerprint: only the mark that there is one', async () => {
    const { client, store, events, apply } = harness();
    const agent = agentCreate(42, 'ana@acme.example', 'generated');
    const other = agentCreate(42, 'bia@acme.example', 'generated');
    const result = await apply(planOf(agent, other));

    const digests = client
      .calls('createAgent')
      .map((request) => (request.args[0] as { passwordSha256: string }).passwordSha256);
    expect(digests).toHaveLength(2);
    expect(digests[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(digests[0]).not.toBe(digests[1]);
    expect(store.listAgents(42).map((row) => row.passwordFingerprint)).toEqual([
      GENERATED_PASSWORD_MARK,
      GENERATED_PASSWORD_MARK,
    ]);
    const reported = JSON.stringify({
      events,
      outcomes: [...result.outcomes],
      journal: store.journalOfRun('run-1'),
    });
    const bytes = storeBytes(store.path);
    for (const digest of digests) {
      expect(reported).not.toContain(digest);
      expect(bytes).not.toContain(digest);
      expect(bytes).not.toContain(Buffer.from(digest, 'hex').toString('latin1'));
    }
  });

  it('stops the run, sending nothing more, when the journal cannot be written', async () => {
    const { client, writes, apply } = harness();
    writes.journalBegin = () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    const actions = [1, 2, 3].map((id) =>
      action('account.set_licenses', `#${id}`, `#${id}`, { accountId: id, licenseQuantity: 1 }),
    );
    const result = await apply(planOf(...actions));
    expect(client.log).toHaveLength(0);
    expect(result.stoppedBy).toBe('state-store');
    expect(result.fatalError?.message).toContain('SQLITE_FULL');
    expect(Object.values(statuses(result))).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('names the adopt command when a new account ID cannot be recorded', async () => {
    const { client, writes, apply } = harness();
    writes.recordAccountCreated = () => {
      throw new Error('SQLITE_BUSY: database is locked');
    };
    const account = accountCreate('acme');
    const result = await apply(planOf(account, agentCreate(account, 'ana@acme.example')));
    const id = [...client.accounts.keys()][0];
    expect(result.outcomes.get(account.id)).toMatchObject({ status: 'ok', remoteId: id });
    expect(result.stoppedBy).toBe('state-store');
    expect(result.fatalError?.message).toContain(`omnize-sync state adopt acme ${id}`);
    expect(client.calls('createAgent')).toHaveLength(0);
  });

  it('masks a digest the API echoes in its error message', async () => {
    const { client, apply } = harness({ passwords: { 'ana@acme.example': 'Ag3nt-Secret!' } });
    const digest = sha256Hex('Ag3nt-Secret!');
    client.script('createAgent', [{ reject: `Senha ${digest} muito fraca` }]);
    const agent = agentCreate(42, 'ana@acme.example', 'from-manifest');
    const result = await apply(planOf(agent));
    expect(result.outcomes.get(agent.id)).toMatchObject({
      status: 'failed',
      error: { kind: 'rejected', message: 'Senha [REDACTED] muito fraca' },
    });
  });

  it('sends nothing, stopping as a state store failure, when the stop check finds the lease lost', async () => {
    let lost: ((reason: 'taken-over' | 'expired') => void) | undefined;
    // Expired while the process could not run its timers: the check before the request finds it.
    const lease = {
      isLeaseValid() {
        lost?.('expired');
        return false;
      },
      onLeaseLost(listener: (reason: 'taken-over' | 'expired') => void) {
        lost = listener;
      },
    };
    const { client, apply } = harness({ lease });
    const actions = [1, 2].map((id) =>
      action('account.set_licenses', `#${id}`, `#${id}`, { accountId: id, licenseQuantity: 1 }),
    );
    const result = await apply(planOf(...actions));
    expect(client.log).toHaveLength(0);
    expect(result.stoppedBy).toBe('state-store');
    expect(result.fatalError?.message).toBe('the state store lock could not be renewed in time');
    expect(Object.values(statuses(result))).toEqual(['skipped', 'skipped']);
  });

  it('stops at once when another run takes the lock over', async () => {
    let lost: ((reason: 'taken-over' | 'expired') => void) | undefined;
    const lease = {
      isLeaseValid: () => true,
      onLeaseLost(listener: (reason: 'taken-over' | 'expired') => void) {
        lost = listener;
      },
    };
    const { client, apply } = harness({ concurrency: 1, lease });
    // Lost while the first request is in flight: the second, waiting in the gate, never leaves.
    client.onStart = () => lost?.('taken-over');
    const actions = [1, 2].map((id) =>
      action('account.set_licenses', `#${id}`, `#${id}`, { accountId: id, licenseQuantity: 1 }),
    );
    const result = await apply(planOf(...actions));
    expect(client.log).toHaveLength(1);
    expect(result.stoppedBy).toBe('state-store');
    expect(result.fatalError?.message).toBe('another run took over the state store lock');
  });
});

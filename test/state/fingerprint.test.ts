import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../src/errors.js';
import { registerSecret } from '../../src/log/redact.js';
import { openStore, tempStorePath } from './temp-store.js';

const PASSWORD = 'Correct-Horse-9-Battery';
const AGENT_PASSWORD = 'Agent-Pa55word-Único';
const TOKEN = 'partner-token-5f1c0a77d2';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The bytes of the store file and its WAL and shared-memory files, as they are on disk now. */
function bytesOnDisk(path: string): Buffer {
  const files = [path, `${path}-wal`, `${path}-shm`].filter((file) => existsSync(file));
  return Buffer.concat(files.map((file) => readFileSync(file)));
}

function expectNoSecret(bytes: Buffer): void {
  for (const secret of [PASSWORD, AGENT_PASSWORD, TOKEN, sha256(PASSWORD), sha256(AGENT_PASSWORD)]) {
    expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from(secret.toUpperCase(), 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
  }
}

describe('password fingerprints', () => {
  it('are stable for one store, also after reopening it', () => {
    const path = tempStorePath();
    const first = openStore(path);
    const fingerprint = first.fingerprint(PASSWORD);
    expect(first.fingerprint(PASSWORD)).toBe(fingerprint);
    first.close();
    expect(openStore(path).fingerprint(PASSWORD)).toBe(fingerprint);
  });

  it('are neither the password nor its SHA-256, nor an unkeyed HMAC of it', () => {
    const fingerprint = openStore().fingerprint(PASSWORD);
    expect(fingerprint).not.toContain(PASSWORD);
    expect(fingerprint).not.toContain(sha256(PASSWORD));
    expect(fingerprint).not.toContain(createHmac('sha256', '').update(PASSWORD).digest('hex'));
    expect(fingerprint).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
  });

  it('differ between two stores for the same password (each has its own random key)', () => {
    expect(openStore().fingerprint(PASSWORD)).not.toBe(openStore().fingerprint(PASSWORD));
  });

  it('tell passwords apart', () => {
    const store = openStore();
    expect(store.fingerprint(PASSWORD)).not.toBe(store.fingerprint(`${PASSWORD} `));
  });

  it('are the only password-like value the store accepts, and a refusal does not echo the value', () => {
    const store = openStore();
    for (const notAFingerprint of [PASSWORD, sha256(PASSWORD), `hmac-sha256:${PASSWORD}`]) {
      expect(() => store.recordAccountCreated('acme', 1, {}, notAFingerprint)).toThrow(InternalError);
      expect(() =>
        store.recordAgentApplied(1, 'ana@acme.com', { passwordFingerprint: notAFingerprint }),
      ).toThrow(InternalError);
      try {
        store.recordAgentApplied(1, 'ana@acme.com', { passwordFingerprint: notAFingerprint });
      } catch (error) {
        expect((error as Error).message).not.toContain(notAFingerprint);
      }
    }
    expect(store.listAccounts()).toEqual([]);
    expect(store.listAgents()).toEqual([]);
  });
});

describe('the state file on disk', () => {
  it('never holds a password, its SHA-256 or the token, in the database or its WAL', () => {
    registerSecret(TOKEN);
    const path = tempStorePath();
    const store = openStore(path);
    store.recordAccountCreated('acme', 101, { email: 'ops@acme.com' }, store.fingerprint(PASSWORD));
    store.recordAgentApplied(101, 'ana@acme.com', {
      textLimit: 2,
      passwordFingerprint: store.fingerprint(AGENT_PASSWORD),
    });
    const entry = store.journalBegin({
      runId: 'run-1',
      actionId: 'agent.create:ana@acme.com',
      kind: 'agent.create',
      accountKey: 'acme',
      target: `ana@acme.com?token=${TOKEN}`,
      request: {
        token: TOKEN,
        agent: { email: 'ana@acme.com', password: sha256(AGENT_PASSWORD), note: `sent ${sha256(PASSWORD)}` },
        nested: { deeper: { passwordSha256: sha256(AGENT_PASSWORD) } },
      },
    });
    store.journalSettle(entry, {
      outcome: 'failed',
      error: `rejected token ${TOKEN} for ${sha256(PASSWORD)}`,
    });
    store.markJournalResolved([entry], `looked up with ${TOKEN}`);
    expect(existsSync(`${path}-wal`)).toBe(true);
    // The scan sees the rows (the e-mail is there in plain text), so an absent secret is really absent.
    expect(bytesOnDisk(path).includes('ops@acme.com')).toBe(true);
    expectNoSecret(bytesOnDisk(path));
    store.close();
    expect(bytesOnDisk(path).includes('ops@acme.com')).toBe(true);
    expectNoSecret(bytesOnDisk(path));

    const reopened = openStore(path);
    const [stored] = reopened.journalOfRun('run-1');
    expect(JSON.stringify(stored)).toContain('[REDACTED]');
    expect(stored?.request).toMatchObject({ token: '[REDACTED]', agent: { email: 'ana@acme.com' } });
    expect(reopened.getAccount('acme')?.passwordFingerprint).toBe(reopened.fingerprint(PASSWORD));
  });
});

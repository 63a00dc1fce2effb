import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { type CommandResult, DONE } from '../run/exit-code.js';
import type { AccountRecord, AdoptionCounts, AdoptionRefusal, StateBackend } from '../state/index.js';
import { lockHeldError, lockTakeoverMessage } from '../state/lock.js';
import { missingStateFile, openConfiguredState } from '../state/open.js';
import type { CommandContext } from './command.js';
import type { StateArgs } from './state.js';
import { type AdoptionFile, readAdoptionFile } from './state-adopt-file.js';

type Context = CommandContext<StateArgs>;

/** Runs `state` (see state.ts); loaded only then, since the SQLite driver is the slowest module to load. */
export async function runState(context: Context): Promise<CommandResult> {
  const { action } = context.args;
  checkArguments(context.args);
  if (action === 'migrate') return (await import('./state-migrate-run.js')).runStateMigrate(context);
  const { from } = context.args;
  // The file is read, and its header checked, before the store is opened or locked.
  const file = from === undefined ? undefined : await readAdoptionFile(resolve(context.io.cwd, from), from);
  if (from !== undefined && file !== undefined && file.refusals.length > 0) {
    return refused(context, from, file.refusals);
  }
  const config = context.config();
  const missing = missingStateFile(config.state, context.io.cwd);
  if (action !== 'adopt' && missing !== undefined) return missingStore(context, missing);
  const store = await openConfiguredState(config, context.io);
  try {
    if (action === 'list') return await list(context, store);
    if (action === 'show') return await show(context, store, requiredKey(context.args));
    if (from !== undefined && file !== undefined) {
      return await withLock(context, store, 'state adopt --from', () =>
        adoptFrom(context, store, from, file),
      );
    }
    const key = requiredKey(context.args);
    return action === 'adopt'
      ? await withLock(context, store, 'state adopt', () => adopt(context, store, key))
      : await withLock(context, store, 'state forget', () => forget(context, store, key));
  } finally {
    await store.close();
  }
}

function checkArguments(args: StateArgs): void {
  const { action, key, id, from, to } = args;
  if (to !== undefined && action !== 'migrate')
    throw new UsageError(`state ${action} takes no --to: only state migrate --to URL`);
  if (action === 'migrate') {
    if (key !== undefined || id !== undefined || from !== undefined)
      throw new UsageError(
        'state migrate takes only --to URL: omnize-sync state migrate --to postgres://USER@HOST:PORT/DB',
      );
    return;
  }
  if (from !== undefined) {
    if (action !== 'adopt')
      throw new UsageError(`state ${action} takes no --from: only state adopt --from FILE`);
    if (key !== undefined || id !== undefined)
      throw new UsageError('state adopt takes either KEY ID or --from FILE, not both');
    if (from.trim() === '')
      throw new UsageError('state adopt --from needs a FILE: omnize-sync state adopt --from FILE.csv');
    return;
  }
  if (action === 'list' && key !== undefined) throw new UsageError('state list takes no KEY');
  if (action !== 'list' && (key === undefined || key.trim() === '')) {
    throw new UsageError(
      `state ${action} needs a KEY: omnize-sync state ${action} KEY${action === 'adopt' ? ' ID' : ''}`,
    );
  }
  if (action === 'adopt' && id === undefined)
    throw new UsageError('state adopt needs an ID: omnize-sync state adopt KEY ID');
  if (action !== 'adopt' && id !== undefined) throw new UsageError(`state ${action} takes no ID`);
}

function requiredKey(args: StateArgs): string {
  return (args.key ?? '').trim();
}

/** Reading a store that does not exist must not create one (a mistyped --state would leave a stray file). */
function missingStore(context: Context, path: string): CommandResult {
  if (context.args.action !== 'list') throw new UsageError(`no state store at ${path}`);
  if (context.args.json) context.io.stdout.write('[]\n');
  else
    context.io.stderr.write(`no state store at ${path} yet: the first apply (or state adopt) creates it\n`);
  return DONE;
}

async function list(context: Context, store: StateBackend): Promise<CommandResult> {
  const accounts = await store.listAccounts();
  if (context.args.json) {
    context.io.stdout.write(`${JSON.stringify(accounts.map(publicAccount), null, 2)}\n`);
    return DONE;
  }
  const header = ['KEY', 'OMNIZE ID', 'CREATE STATE', 'LICENSES', 'STATUS', 'LAST APPLIED AT'];
  const rows = accounts.map((account) => [
    account.key,
    shown(account.accountId),
    account.createState,
    shown(account.applied.licenseQuantity),
    shown(account.applied.status),
    shown(account.lastAppliedAt),
  ]);
  context.io.stdout.write(table([header, ...rows]));
  context.io.stdout.write(
    `${accounts.length} account${accounts.length === 1 ? '' : 's'} in ${store.display}\n`,
  );
  return DONE;
}

async function show(context: Context, store: StateBackend, key: string): Promise<CommandResult> {
  const account = await store.getAccount(key);
  if (account === undefined)
    throw new UsageError(`no account with key "${key}" in the state store ${store.display}`);
  const agents = account.accountId === null ? [] : await store.listAgents(account.accountId);
  const publicAgents = agents.map((agent) => ({
    email: agent.email,
    textLimit: agent.textLimit ?? null,
    password: agent.passwordFingerprint === undefined ? 'not set' : 'set',
    lastAppliedAt: agent.lastAppliedAt,
  }));
  if (context.args.json) {
    context.io.stdout.write(
      `${JSON.stringify({ ...publicAccount(account), agents: publicAgents }, null, 2)}\n`,
    );
    return DONE;
  }
  const { applied } = account;
  const lines = [
    ['key', account.key],
    ['Omnize id', shown(account.accountId)],
    ['create state', account.createState],
    ['e-mail', shown(applied.email)],
    ['main contact', shown(applied.mainContact)],
    ['phone', shown(applied.phone)],
    ['url', shown(applied.url)],
    ['license quantity', shown(applied.licenseQuantity)],
    ['license code', shown(applied.licenseCode)],
    ['status', shown(applied.status)],
    ['password', account.passwordFingerprint === undefined ? 'not set' : 'set'],
    ['recorded at', account.recordedAt],
    ['last applied at', shown(account.lastAppliedAt)],
    ['agents remembered', String(agents.length)],
  ];
  context.io.stdout.write(table(lines));
  if (publicAgents.length > 0) {
    const agentRows = publicAgents.map((agent) => [agent.email, shown(agent.textLimit), agent.password]);
    context.io.stdout.write(`\n${table([['AGENT', 'TEXT LIMIT', 'PASSWORD'], ...agentRows])}`);
  }
  if (account.createState === 'unknown') {
    context.io.stdout.write(
      `\nA create was sent for this account and its outcome is unknown, so it is not created again.\n` +
        `Find the account in Omnize (the values above are what the create sent) and run\n` +
        `  omnize-sync state adopt ${account.key} ID\n` +
        `or, if it was never created, omnize-sync state forget ${account.key}\n`,
    );
  }
  return DONE;
}

/** adopt and forget change the store: they take the run lock so they never interleave with an apply. */
async function withLock(
  context: Context,
  store: StateBackend,
  command: string,
  work: () => Promise<CommandResult>,
): Promise<CommandResult> {
  const runId = randomUUID();
  const lock = await store.acquireLock({ runId, host: hostname(), pid: process.pid, command });
  if (!lock.acquired) throw lockHeldError(lock.holder, store.display);
  if (lock.tookOverFrom !== undefined) context.logger().warn(lockTakeoverMessage(lock.tookOverFrom));
  try {
    return await work();
  } finally {
    await store.releaseLock(runId);
  }
}

async function adopt(context: Context, store: StateBackend, key: string): Promise<CommandResult> {
  const id = parseAccountId(context.args.id ?? '');
  const previous = await store.getAccount(key);
  const outcome = await store.adoptAccount(key, id);
  const fieldsNote = 'Its fields in the manifest will be sent once on the next apply.';
  const messages: Record<typeof outcome, string> = {
    created: `adopted: key "${key}" is now Omnize account ${id}. ${fieldsNote}`,
    'resolved-unknown': `adopted: key "${key}" is now Omnize account ${id}; its create of unknown outcome is resolved. ${fieldsNote}`,
    replaced: `adopted: key "${key}" is now Omnize account ${id} (was ${shown(previous?.accountId)}). ${fieldsNote}`,
    unchanged: `key "${key}" already is Omnize account ${id}; nothing changed.`,
  };
  context.io.stdout.write(`${messages[outcome]}\n`);
  return DONE;
}

/** `state adopt --from FILE`: every row in one transaction, or, when any is refused, none. */
async function adoptFrom(
  context: Context,
  store: StateBackend,
  display: string,
  file: AdoptionFile,
): Promise<CommandResult> {
  const result = await store.adoptAccounts(file.lines);
  if (!result.adopted) return refused(context, display, result.refusals);
  context.io.stdout.write(`${adoptionSummary(display, file.lines.length, result.counts)}\n`);
  return DONE;
}

/** `adopted 3 keys from FILE: 1 new, 1 already as given, 1 unknown create resolved. …` */
export function adoptionSummary(display: string, rows: number, counts: AdoptionCounts): string {
  const changed = counts.created + counts['resolved-unknown'];
  const note = changed > 0 ? ' Their fields in the manifest will be sent once on the next apply.' : '';
  return (
    `adopted ${rows} key${rows === 1 ? '' : 's'} from ${display}: ${counts.created} new, ` +
    `${counts.unchanged} already as given, ${counts['resolved-unknown']} unknown create${counts['resolved-unknown'] === 1 ? '' : 's'} resolved.${note}`
  );
}

/** Every refusal as `FILE:ROW[:COLUMN]: error: message` on stderr; then nothing changed, exit 1. */
function refused(context: Context, display: string, refusals: readonly AdoptionRefusal[]): never {
  for (const { row, column, message } of refusals) {
    context.io.stderr.write(
      `${display}:${row}${column === undefined ? '' : `:${column}`}: error: ${message}\n`,
    );
  }
  const count = refusals.length;
  throw new UsageError(
    `nothing adopted: ${count} problem${count === 1 ? '' : 's'} in ${display}; the state store is unchanged`,
  );
}

async function forget(context: Context, store: StateBackend, key: string): Promise<CommandResult> {
  const forgotten = await store.forgetAccount(key);
  if (forgotten === undefined)
    throw new UsageError(`no account with key "${key}" in the state store ${store.display}`);
  const { account, agents } = forgotten;
  const which =
    account.accountId === null ? 'whose create outcome was unknown' : `(Omnize account ${account.accountId})`;
  const again =
    account.accountId === null
      ? 'If the manifest still lists the key, the next apply creates it.'
      : `The account in Omnize is untouched; if the manifest still lists the key, the next apply creates a new account unless its row gives account_id ${account.accountId}.`;
  context.io.stdout.write(
    `forgot key "${key}" ${which} and ${agents} remembered agent${agents === 1 ? '' : 's'}. ${again}\n`,
  );
  return DONE;
}

/** Omnize IDs are positive whole numbers. */
export function parseAccountId(text: string): number {
  const id = /^[1-9][0-9]*$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new UsageError(`ID must be a positive whole number, not "${text}"`);
  return id;
}

/** The account as users may see it: the password fingerprint is shown only as set or not. */
function publicAccount(account: AccountRecord) {
  const { passwordFingerprint, ...rest } = account;
  return { ...rest, password: passwordFingerprint === undefined ? 'not set' : 'set' };
}

function shown(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : String(value);
}

/** Left-aligned columns separated by two spaces. */
function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, index) => cell.padEnd(widths[index] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

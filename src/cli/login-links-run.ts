import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { requireToken } from '../config/config.js';
import { UsageError } from '../errors.js';
import type { Desired, DesiredAgent } from '../model/desired.js';
import type { Remembered } from '../model/remembered.js';
import { formatRow } from '../model/source.js';
import { agentsInScope, describeSelectors, type ScopeSelectors } from '../plan/index.js';
import { toCsv } from '../report/cells.js';
import { openApiSession } from '../run/api-session.js';
import type { CommandResult } from '../run/exit-code.js';
import { decideRunScope, readValidManifest } from '../run/inputs.js';
import { checkWritableFiles } from '../run/outputs.js';
import { accountSelectorsOf } from './account-selectors.js';
import type { CliIO, CommandContext } from './command.js';
import { type LoginLinkRow, requestLoginLinks } from './login-link-requests.js';
import type { LoginLinksArgs } from './login-links.js';

/** The CSV header of CONTRACT §2, exactly. */
export const LOGIN_LINKS_HEADER = ['email', 'name', 'link'] as const;

/** Owner read/write only: the file holds login links, which are credentials. */
const PRIVATE_FILE_MODE = 0o600;

/** Runs `login-links` (see login-links.ts for the exit codes). */
export async function runLoginLinks({
  args,
  io,
  config,
  logger,
}: CommandContext<LoginLinksArgs>): Promise<CommandResult> {
  const settings = config();
  const outPath = args.out === undefined ? undefined : resolve(io.cwd, args.out);
  requireToken(settings);
  const selectors = accountSelectorsOf(args);
  const { desired } = await readValidManifest(args.manifest, io);
  // Checked before any request: the links of a run whose file cannot be written would be lost.
  if (args.out !== undefined) checkWritableFiles(io.cwd, [{ flag: '--out', path: args.out }]);
  const agents =
    selectors === undefined ? desired.agents : await scopedAgents(desired, selectors, settings, io);
  const session = await openApiSession(settings, logger());
  if (desired.agents.length === 0) io.stderr.write('The manifest declares no agents.\n');
  else if (agents.length === 0)
    io.stderr.write('The manifest declares no agents in the accounts of the scope.\n');
  const rows = await requestLoginLinks(agents, session, settings.loginUrl);
  const csv = toCsv(
    LOGIN_LINKS_HEADER,
    rows.map((row) => [row.email, row.name, row.link ?? '']),
  );
  if (outPath === undefined) io.stdout.write(csv);
  else writePrivateFile(outPath, csv);
  logger().debug(
    { requests: session.counters.requests, retries: session.counters.retries },
    'login links requested',
  );
  return reportOutcome(rows, args.out, io);
}

/**
 * The agents of the accounts `--account`/`--account-id` select, in manifest order. The scope is
 * decided as for plan and apply (CONTRACT §12), so the state store is read for the keys and IDs
 * it maps; a selector naming no account of the manifest is a UsageError, before any request.
 */
async function scopedAgents(
  desired: Desired,
  selectors: ScopeSelectors,
  settings: { state: string; statePasswordFile?: string | undefined },
  io: CliIO,
): Promise<readonly DesiredAgent[]> {
  const { openConfiguredState } = await import('../state/open.js');
  const store = await openConfiguredState(settings, io);
  let remembered: Remembered;
  try {
    remembered = await store.remembered();
  } finally {
    await store.close();
  }
  const scope = decideRunScope(desired, remembered, selectors);
  if (scope === null) return desired.agents;
  const accounts = scope.selected.join(', ');
  io.stderr.write(
    `Scope: ${accounts} (${describeSelectors(scope)}); agents of other accounts get no link.\n`,
  );
  return agentsInScope(desired, remembered, scope);
}

/** One stderr line per agent without a link, then a summary; returns the exit code. */
function reportOutcome(rows: readonly LoginLinkRow[], out: string | undefined, io: CliIO): CommandResult {
  const failed = rows.filter((row) => row.link === undefined);
  for (const row of failed) io.stderr.write(`${formatRow(row.source)}: ${row.email}: ${row.failure}\n`);
  const made = rows.length - failed.length;
  const where = out === undefined ? '' : ` written to ${out}`;
  io.stderr.write(`Login links: ${made} of ${rows.length} agent${rows.length === 1 ? '' : 's'}${where}`);
  if (failed.length > 0) {
    const agents = failed.length === 1 ? 'agent has' : 'agents have';
    io.stderr.write(`; ${failed.length} ${agents} no link (listed above, empty link in the CSV)`);
  }
  io.stderr.write('\n');
  return { command: 'login-links', agentsWithoutLink: failed.length };
}

/**
 * Writes through a temporary file in the same folder and a rename, so a reader never sees half
 * a file, and the file is created owner-only whether or not one was there before.
 */
function writePrivateFile(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content, { encoding: 'utf8', mode: PRIVATE_FILE_MODE, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot write the login links to ${path} (${reason})`);
  }
}

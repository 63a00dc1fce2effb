import { requireToken } from '../config/config.js';
import { UsageError } from '../errors.js';
import { writeCsvFile, writeWorkbook } from '../export/files.js';
import { isExact, type ReadBack, readBack } from '../export/read-back.js';
import { type ExportTables, exportTables } from '../export/rows.js';
import { describeSkipped, type ExportAccount, selectExportAccounts } from '../export/selection.js';
import { type ExportTarget, exportTarget, stage } from '../export/target.js';
import { type RequestRunner, readObserved } from '../live/read-observed.js';
import type { Logger } from '../log/logger.js';
import { formatProblem } from '../manifest/index.js';
import type { Observed } from '../model/observed.js';
import { MANIFEST_KINDS } from '../model/vocabulary.js';
import { renderPlanText } from '../plan/index.js';
import { type ApiSession, openApiSession } from '../run/api-session.js';
import type { ExportResult } from '../run/exit-code.js';
import { startProgress } from '../run/progress.js';
import { openConfiguredState } from '../state/open.js';
import { accountSelectorsOf } from './account-selectors.js';
import type { CliIO, CommandContext } from './command.js';
import type { ExportArgs } from './export.js';

/** How many lines of an inexact read-back's plan are shown; the rest is counted. */
const PLAN_LINES_SHOWN = 20;

/**
 * Runs `export` (see export.ts): checks the flags, the target and the selected accounts, then
 * reads the live state through the one request pipeline (the gate, the retry policy), writes
 * the files through a staging folder, and reads them back to say whether they plan to no change.
 */
export async function runExport({
  args,
  io,
  config,
  logger,
}: CommandContext<ExportArgs>): Promise<ExportResult> {
  const settings = config();
  requireToken(settings);
  const selectors = accountSelectorsOf(args);
  const target = exportTarget(io.cwd, args.out, args.force === true);
  const store = await openConfiguredState(settings, io);
  try {
    const remembered = await store.remembered();
    const selection = selectExportAccounts(remembered, selectors);
    for (const skipped of selection.skipped) warn(io, describeSkipped(skipped));
    for (const warning of target.warnings) warn(io, warning);
    const session = await openApiSession(settings, logger());
    const observed = await readLiveState(selection.accounts, session, io, logger());
    const tables = exportTables(selection.accounts, observed, remembered);
    await writeTarget(target, tables);
    io.stderr.write(`${describeExport(target, selection.accounts, tables, session)}\n`);
    const check = await readBack(
      target.files.map((file) => file.shown),
      io.cwd,
      { observed, remembered, fingerprint: (plain) => store.fingerprint(plain) },
    );
    const exact = isExact(check);
    reportReadBack(io, target, check, exact);
    return {
      command: 'export',
      accounts: selection.accounts.length,
      departments: tables.departments.length,
      agents: tables.agents.length,
      exact,
    };
  } finally {
    await store.close();
  }
}

/** Reads every selected account (2 GETs each, 2 per department), showing the progress as apply does. */
async function readLiveState(
  accounts: readonly ExportAccount[],
  session: ApiSession,
  io: CliIO,
  logger: Logger,
): Promise<Observed> {
  let started = 0;
  let finished = 0;
  const counted: RequestRunner = async (request) => {
    started += 1;
    try {
      return await session.run(request);
    } finally {
      finished += 1;
    }
  };
  // The total grows as each account's departments are listed: each brings its own two reads.
  const progress = startProgress(
    () => ({ done: finished, total: started, failed: 0, requests: session.counters.requests }),
    { stderr: io.stderr, logger, noun: 'reads' },
  );
  try {
    return await readObserved(
      accounts.map((account) => account.accountId),
      session.client,
      counted,
    );
  } finally {
    progress.stop();
  }
}

async function writeTarget(target: ExportTarget, tables: ExportTables): Promise<void> {
  const staging = stage(target);
  try {
    if (target.format === 'xlsx') await writeWorkbook(staging.paths[0]!, tables);
    else
      MANIFEST_KINDS.forEach((kind, index) => {
        writeCsvFile(staging.paths[index]!, kind, tables);
      });
    staging.commit();
  } catch (error) {
    staging.discard();
    if (error instanceof UsageError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(
      `--out ${target.shown}: the export could not be written (${reason}); nothing was left there`,
    );
  }
}

function describeExport(
  target: ExportTarget,
  accounts: readonly ExportAccount[],
  tables: ExportTables,
  session: ApiSession,
): string {
  const byId = accounts.length - tables.accounts.length;
  const rows = byId === 0 ? '' : ` (${byId} without an accounts row, named by account_id)`;
  const where = target.format === 'xlsx' ? target.shown : target.files.map((file) => file.shown).join(', ');
  const { reads } = session.counters;
  return (
    `Exported ${plural(accounts.length, 'account')}${rows}, ${plural(tables.departments.length, 'department')} ` +
    `and ${plural(tables.agents.length, 'agent')} to ${where}, with ${plural(reads, 'GET request')}.`
  );
}

/** Says whether the files plan to no change; when not, every problem and (the start of) the plan. */
function reportReadBack(io: CliIO, target: ExportTarget, check: ReadBack, exact: boolean): void {
  if (exact) {
    const warnings = check.problems.length;
    for (const problem of check.problems) io.stderr.write(`${formatProblem(problem)}\n`);
    const noted = warnings === 0 ? '' : ` (${plural(warnings, 'warning')} above)`;
    io.stderr.write(`Read back: 0 errors, and it plans to no change${noted}.\n`);
    return;
  }
  for (const problem of check.problems) io.stderr.write(`${formatProblem(problem)}\n`);
  const errors = check.problems.filter((problem) => problem.severity === 'error').length;
  if (check.plan === undefined) {
    warn(
      io,
      `${target.shown} does not validate as it is (${plural(errors, 'error')} above): the live state holds values a manifest cannot give back; fix those rows before planning with it`,
    );
    return;
  }
  const lines = renderPlanText(check.plan).trimEnd().split('\n');
  const shown =
    lines.length > PLAN_LINES_SHOWN + 1 ? [...lines.slice(0, PLAN_LINES_SHOWN), '  …', lines.at(-1)!] : lines;
  warn(
    io,
    `${target.shown} would not plan to no change: the live state holds values a manifest cannot give back exactly (names with spaces around them, department names holding ";", "," or "|"…). Planning it would do this:`,
  );
  for (const line of shown) io.stderr.write(`  ${line}\n`);
}

function warn(io: CliIO, message: string): void {
  io.stderr.write(`omnize-sync: warning: ${message}\n`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

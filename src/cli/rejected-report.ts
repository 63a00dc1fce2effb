import type { Logger } from '../log/logger.js';
import { loadManifest } from '../manifest/index.js';
import { writeRejectedWorkbook } from '../report/rejected.js';
import type { ResultRow } from '../report/results.js';
import type { CliIO } from './command.js';

const REJECTED_OUTCOMES = new Set(['failed', 'unknown', 'skipped']);

/**
 * Writes rejected.xlsx when some action failed, was skipped or has an unknown outcome. The
 * manifest's raw rows are read again only then, so a 100k-row roster that applied cleanly never
 * holds them; the digest check makes sure they are the rows the run applied.
 */
export async function writeRejectedRows(
  folder: string,
  manifestPaths: string[],
  io: CliIO,
  appliedDigest: string,
  results: ResultRow[],
  logger: Logger,
): Promise<void> {
  if (!results.some((row) => REJECTED_OUTCOMES.has(row.outcome))) return;
  const manifest = await loadManifest(manifestPaths, { cwd: io.cwd, keepRows: true });
  if (manifest.digest !== appliedDigest) {
    logger.warn(
      'the manifest changed during the run: rejected.xlsx is not written (results.csv lists every failure)',
    );
    return;
  }
  await writeRejectedWorkbook(folder, { tables: manifest.tables, results });
}

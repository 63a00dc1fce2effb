import type { CliIO } from '../cli/command.js';
import type { Logger } from '../log/logger.js';
import { type ManifestArgument, readRowsToHandBack } from '../manifest/index.js';
import { writeNoRejectedWorkbook } from '../report/no-rejected.js';
import { rowErrors } from '../report/rejected-errors.js';
import type { ResultRow } from '../report/results.js';

/**
 * Writes rejected.xlsx: the rows of every action that failed, was skipped or has an unknown
 * outcome at a manifest row, or a workbook saying there are none. The manifest's rows are read again only then, and only those rejected.xlsx can
 * hold, so a 100k-row roster that applied cleanly never holds them; the digest check makes sure
 * they are the rows the run applied.
 */
export async function writeRejectedRows(
  folder: string,
  manifestPaths: readonly ManifestArgument[],
  io: CliIO,
  appliedDigest: string,
  results: ResultRow[],
  logger: Logger,
): Promise<void> {
  const errors = rowErrors(results);
  if (errors.length === 0) return writeNoRejectedWorkbook(folder);
  const { digest, handBack } = await readRowsToHandBack(manifestPaths, errors, { cwd: io.cwd });
  if (digest !== appliedDigest) {
    logger.warn(
      'the manifest changed during the run: rejected.xlsx is not written (results.csv lists every failure)',
    );
    return;
  }
  // The XLSX writer (exceljs, ~170 ms to load) is loaded only for a run that has rows to hand back.
  const { writeRejectedWorkbook } = await import('../report/rejected.js');
  await writeRejectedWorkbook(folder, handBack);
}

import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { MANIFEST_KINDS, type ManifestKind } from '../model/vocabulary.js';
import { DesiredBuilder } from './builder.js';
import { checkManifest } from './checks.js';
import { readCsv } from './csv.js';
import { type ManifestInput, resolveInputs } from './inputs.js';
import { inspectFile } from './inspect.js';
import { ProblemCollector } from './problems.js';
import { TableIntake } from './table.js';
import type { LoadedManifest, LoadManifestOptions, ManifestArgument } from './types.js';
import { UnreadableFileError } from './unreadable.js';
import { readXlsx } from './xlsx.js';

/**
 * Reads and validates a manifest: `paths` as `<manifest…>` takes them (one
 * .xlsx, or .csv files, or a folder). Never throws for anything wrong with
 * the manifest: every problem is collected, and `desired` is given only
 * when none is an error. Files are read one after the other, each as a
 * stream.
 */
export async function loadManifest(
  paths: readonly ManifestArgument[],
  options: LoadManifestOptions = {},
): Promise<LoadedManifest> {
  const problems = new ProblemCollector();
  const builder = new DesiredBuilder(problems);
  const inputs = await resolveInputs(paths, options.cwd ?? process.cwd(), problems);
  const tables: LoadedManifest['tables'] = [];
  const digests: string[] = [];
  for (const input of inputs) {
    const intakes = await readInput(input, problems, builder, options, digests);
    for (const intake of intakes) {
      tables.push(intake.table);
      if (intake.hasHeader) builder.kindsPresent[intake.table.kind] = true;
      else if (intake.table.sheet !== undefined) {
        const { file, sheet } = intake.table;
        problems.add({
          severity: 'warning',
          file,
          sheet,
          row: 0,
          message: 'sheet is empty: it declares nothing',
        });
      }
    }
  }
  checkManifest(builder);
  return {
    desired: problems.hasErrors() ? undefined : builder.build(),
    problems: problems.sorted(),
    files: inputs.map((input) => input.display),
    digest: manifestDigest(digests),
    tables,
  };
}

/** Reads one file into intakes; a file that cannot be read becomes one problem and leaves its kinds incomplete. */
async function readInput(
  input: ManifestInput,
  problems: ProblemCollector,
  builder: DesiredBuilder,
  options: LoadManifestOptions,
  digests: string[],
): Promise<TableIntake[]> {
  const file = input.display;
  const intakes: TableIntake[] = [];
  const intakeFor = (kind: ManifestKind, sheet?: string): TableIntake => {
    const intake = new TableIntake(kind, file, sheet, {
      problems,
      builder,
      onSecret: options.onSecret,
      keepRows: options.keepRows,
    });
    intakes.push(intake);
    return intake;
  };
  problems.register(file);
  try {
    const facts = await inspectFile(input.path, input.format === 'csv');
    digests.push(`${facts.sha256}  ${basename(file)}\n`);
    if (input.format === 'csv') await readCsv(input.path, facts, intakeFor(input.kind));
    else if (facts.size === 0) throw new UnreadableFileError('is empty');
    else await readXlsx(input.path, file, problems, intakeFor);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    problems.add({ severity: 'error', file, sheet: error.sheet, row: error.row, message: error.message });
    for (const kind of input.format === 'csv' ? [input.kind] : MANIFEST_KINDS)
      builder.incompleteKinds.add(kind);
  }
  return intakes;
}

/**
 * SHA-256 over `sha256sum`-style lines (`<digest>  <file name>`), sorted so
 * the order the files were named in does not matter. A digest of whole
 * files, never of a value alone.
 */
function manifestDigest(lines: string[]): string {
  const hash = createHash('sha256');
  for (const line of [...lines].sort()) hash.update(line);
  return hash.digest('hex');
}

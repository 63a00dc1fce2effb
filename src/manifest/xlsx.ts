import type { ManifestKind } from '../model/vocabulary.js';
import { KIND_LIST, kindOfSheet } from './headers.js';
import type { ProblemCollector } from './problems.js';
import type { RowSink } from './row-sink.js';
import type { TableIntake } from './table.js';
import { UnreadableFileError } from './unreadable.js';
import { readSharedStrings, readWorkbookParts, type WorkbookSheet } from './xlsx-parts.js';
import { readSheet } from './xlsx-sheet.js';
import { openZip } from './zip.js';

/** Makes the intake for one sheet of a kind; the caller keeps it to finish it. */
export type IntakeFactory = (kind: ManifestKind, sheet: string) => TableIntake;

/**
 * Reads an XLSX workbook's `accounts`, `departments` and `agents` sheets.
 *
 * Its own streaming reader rather than exceljs's WorkbookReader: the zip's
 * directory lets the shared strings be read first whatever order the parts
 * are in (exceljs writes them after the sheets, which makes its reader
 * spool every sheet to a temporary file), and each sheet is inflated and
 * tokenised as a stream into plain rows, with no cell objects — about a
 * third of the memory of exceljs's `readFile` on a 100k-agent roster
 * (figures: bench/manifest.ts).
 */
export async function readXlsx(
  path: string,
  file: string,
  problems: ProblemCollector,
  intakeFor: IntakeFactory,
): Promise<void> {
  const archive = await openZip(path);
  const { sheets, sharedStringsPart } = await readWorkbookParts(archive);
  const chosen = chooseSheets(file, sheets, problems);
  if (chosen.length === 0) {
    throw new UnreadableFileError(`has none of the sheets ${KIND_LIST}`);
  }
  const sharedStrings =
    sharedStringsPart === undefined ? [] : await readSharedStrings(archive, sharedStringsPart);
  for (const { sheet, kind } of chosen) {
    const sink = new FirstRowIntake(() => intakeFor(kind, sheet.name));
    try {
      await readSheet(archive, sheet.part, sharedStrings, sink);
      sink.intake();
    } catch (error) {
      if (error instanceof UnreadableFileError && error.sheet === undefined) {
        throw new UnreadableFileError(error.message, error.row, sheet.name);
      }
      throw error;
    }
  }
}

/**
 * Makes its sheet's intake at the first row (or when asked, for a sheet
 * with none), so that a sheet refused before any row is not also said to
 * be empty.
 */
class FirstRowIntake implements RowSink {
  private made: TableIntake | undefined;

  constructor(private readonly make: () => TableIntake) {}

  row(...row: Parameters<RowSink['row']>): void {
    this.intake().row(...row);
  }

  intake(): TableIntake {
    if (this.made === undefined) this.made = this.make();
    return this.made;
  }
}

/** The sheets to read, in workbook order; others are ignored with a warning, a second sheet of a kind with an error. */
function chooseSheets(
  file: string,
  sheets: WorkbookSheet[],
  problems: ProblemCollector,
): { sheet: WorkbookSheet; kind: ManifestKind }[] {
  const chosen: { sheet: WorkbookSheet; kind: ManifestKind }[] = [];
  for (const sheet of sheets) {
    problems.register(file, sheet.name);
    const kind = kindOfSheet(sheet.name);
    const problem = { file, sheet: sheet.name, row: 0 };
    if (kind === undefined) {
      problems.add({ ...problem, severity: 'warning', message: `sheet ignored: only ${KIND_LIST} are read` });
    } else if (chosen.some((other) => other.kind === kind)) {
      problems.add({
        ...problem,
        severity: 'error',
        message: `a second sheet of ${kind}; only the first is read`,
      });
    } else {
      chosen.push({ sheet, kind });
    }
  }
  return chosen;
}

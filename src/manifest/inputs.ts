import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { ManifestKind } from '../model/vocabulary.js';
import { kindOfFileName } from './headers.js';
import type { ProblemCollector } from './problems.js';
import type { ManifestArgument } from './types.js';

/** One manifest file to read: where it is, how the user named it, and what it holds. */
export type ManifestInput = { path: string; display: string } & (
  | { format: 'xlsx' }
  /** A CSV file's kind comes from its name. */
  | { format: 'csv'; kind: ManifestKind }
);

const WORKBOOK_EXTENSIONS = new Set(['.xlsx', '.xlsm']);
const CSV_EXTENSIONS = new Set(['.csv', '.txt']);
const KIND_HINT = 'name it accounts*.csv, departments*.csv or agents*.csv';

/**
 * `<manifest…>` as CONTRACT §2 reads it: one .xlsx, or .csv files, or a
 * folder holding them. Anything else becomes a problem; whatever can be read
 * is returned so every problem of the manifest is found in one run.
 */
export async function resolveInputs(
  paths: readonly ManifestArgument[],
  cwd: string,
  problems: ProblemCollector,
): Promise<ManifestInput[]> {
  const inputs: ManifestInput[] = [];
  for (const argument of paths) {
    const display = typeof argument === 'string' ? argument : argument.given;
    const path = typeof argument === 'string' ? resolve(cwd, argument) : argument.path;
    const facts = await stat(path).catch(() => undefined);
    if (facts === undefined)
      problems.add({ severity: 'error', file: display, row: 0, message: 'does not exist' });
    else if (facts.isDirectory()) inputs.push(...(await folderInputs(path, display, problems)));
    else inputs.push(...fileInput(path, display, problems));
  }
  return checkMixture(unique(inputs), problems);
}

function fileInput(path: string, display: string, problems: ProblemCollector): ManifestInput[] {
  const extension = extname(path).toLowerCase();
  if (WORKBOOK_EXTENSIONS.has(extension)) return [{ path, display, format: 'xlsx' }];
  if (CSV_EXTENSIONS.has(extension)) {
    const kind = kindOfFileName(basename(path));
    if (kind !== undefined) return [{ path, display, format: 'csv', kind }];
    const message = `cannot tell what this file holds from its name: ${KIND_HINT}`;
    problems.add({ severity: 'error', file: display, row: 0, message });
    return [];
  }
  const message = 'is neither an .xlsx workbook nor a .csv file';
  problems.add({ severity: 'error', file: display, row: 0, message });
  return [];
}

/** A folder: its CSV files of a known kind, or else its single workbook. Excel's `~$` lock files are skipped. */
async function folderInputs(
  path: string,
  display: string,
  problems: ProblemCollector,
): Promise<ManifestInput[]> {
  const names = (await readdir(path)).filter((name) => !name.startsWith('~$')).sort();
  const csv: ManifestInput[] = [];
  const workbooks: ManifestInput[] = [];
  for (const name of names) {
    const extension = extname(name).toLowerCase();
    const input = { path: join(path, name), display: join(display, name) };
    if (WORKBOOK_EXTENSIONS.has(extension)) workbooks.push({ ...input, format: 'xlsx' });
    if (extension !== '.csv') continue;
    const kind = kindOfFileName(name);
    if (kind !== undefined) csv.push({ ...input, format: 'csv', kind });
    else problems.add({ severity: 'warning', file: input.display, row: 0, message: `ignored: ${KIND_HINT}` });
  }
  if (csv.length > 0) {
    for (const workbook of workbooks) {
      const message = 'ignored: the folder also has CSV files, which are read instead';
      problems.add({ severity: 'warning', file: workbook.display, row: 0, message });
    }
    return csv;
  }
  if (workbooks.length === 1) return workbooks;
  const message =
    workbooks.length === 0
      ? `holds no manifest: no .xlsx workbook and no CSV file (${KIND_HINT})`
      : 'holds several .xlsx workbooks: name the one to read';
  problems.add({ severity: 'error', file: display, row: 0, message });
  return [];
}

/** One workbook, or CSV files: a manifest is not both, nor two workbooks. The first file named decides. */
function checkMixture(inputs: ManifestInput[], problems: ProblemCollector): ManifestInput[] {
  const workbookFirst = inputs[0]?.format === 'xlsx';
  const kept = workbookFirst ? inputs.slice(0, 1) : inputs.filter((input) => input.format === 'csv');
  const message = 'skipped: a manifest is one .xlsx workbook or CSV files, not both nor several workbooks';
  for (const input of inputs) {
    if (!kept.includes(input)) problems.add({ severity: 'error', file: input.display, row: 0, message });
  }
  return kept;
}

/** A file named twice (or named and inside a folder named) is read once. */
function unique(inputs: ManifestInput[]): ManifestInput[] {
  const byPath = new Map<string, ManifestInput>();
  for (const input of inputs) if (!byPath.has(input.path)) byPath.set(input.path, input);
  return [...byPath.values()];
}

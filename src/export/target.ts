import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { kindOfFileName } from '../manifest/headers.js';
import { MANIFEST_KINDS } from '../model/vocabulary.js';
import { CSV_FILES } from './files.js';

/**
 * Where an export goes (CONTRACT §11): one workbook when `--out` ends in `.xlsx`, otherwise a
 * folder of three CSV files. Checked before the first request, so an export whose files cannot
 * be written sends nothing.
 */
export interface ExportTarget {
  format: 'xlsx' | 'csv';
  /** `--out` as typed. */
  shown: string;
  /** The workbook, or the folder. */
  path: string;
  /** The files the export writes, as the user names them (relative to where they ran the command, or as given). */
  files: { path: string; shown: string }[];
  /** May replace files that exist (`--force`). */
  replace: boolean;
  /** Things worth a word that do not stop the export (other manifest files in the folder). */
  warnings: string[];
}

/** Extensions that name a file, not a folder, and that the export does not write. */
const OTHER_FILE_EXTENSIONS = new Set(['.csv', '.txt', '.xls', '.xlsm', '.json']);

/** Checks `--out` and decides the target; every refusal is a one-line UsageError naming the flag or the file. */
export function exportTarget(cwd: string, out: string, replace: boolean): ExportTarget {
  if (out.trim() === '') throw new UsageError('--out: name a .xlsx file or a folder to write the export to');
  const path = resolve(cwd, out);
  const extension = extname(out).toLowerCase();
  if (extension === '.xlsx') {
    checkFolderTakesFiles(dirname(path), out, 'its folder');
    const file = { path, shown: out };
    checkFileSlot(file, replace);
    return { format: 'xlsx', shown: out, path, files: [file], replace, warnings: [] };
  }
  if (OTHER_FILE_EXTENSIONS.has(extension)) {
    throw new UsageError(
      `--out ${out}: name a .xlsx workbook, or a folder for accounts.csv, departments.csv and agents.csv`,
    );
  }
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing !== undefined && !existing.isDirectory()) {
    throw new UsageError(`--out ${out}: a file stands where the folder should be`);
  }
  checkFolderTakesFiles(existing === undefined ? dirname(path) : path, out, existing ? 'it' : 'its folder');
  const files = MANIFEST_KINDS.map((kind) => ({
    path: join(path, CSV_FILES[kind]),
    shown: join(out, CSV_FILES[kind]),
  }));
  for (const file of files) checkFileSlot(file, replace);
  const warnings = existing === undefined ? [] : otherManifestFiles(path, out);
  return { format: 'csv', shown: out, path, files, replace, warnings };
}

function checkFolderTakesFiles(folder: string, out: string, which: string): void {
  const facts = statSync(folder, { throwIfNoEntry: false });
  if (facts === undefined) throw new UsageError(`--out ${out}: ${which} does not exist`);
  if (!facts.isDirectory()) throw new UsageError(`--out ${out}: ${which} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: cannot write there (permission denied)`);
  }
}

/** A file the export would write: refused when it exists, unless `--force`; always refused when a folder stands there. */
function checkFileSlot(file: { path: string; shown: string }, replace: boolean): void {
  const facts = statSync(file.path, { throwIfNoEntry: false });
  if (facts === undefined) return;
  if (facts.isDirectory())
    throw new UsageError(`--out: ${file.shown} is a folder; cannot write the export there`);
  if (!replace) throw new UsageError(`--out: ${file.shown} already exists; give --force to replace it`);
}

/** CSV files in the folder that a folder manifest would read too, next to the export's own. */
function otherManifestFiles(folder: string, out: string): string[] {
  const own = new Set(Object.values(CSV_FILES));
  return readdirSync(folder)
    .filter((name) => extname(name).toLowerCase() === '.csv' && !own.has(name))
    .filter((name) => kindOfFileName(name) !== undefined)
    .sort()
    .map(
      (name) =>
        `${join(out, name)} is also in the folder: reading ${out} as a manifest reads it too; name the three exported files instead, or move it`,
    );
}

/**
 * A folder next to the target, on the same file system, that the export is written into and
 * then renamed from: a failure, or an interruption, never leaves a half-written file where the
 * export should be.
 */
export interface Staging {
  /** Where each file of the target is written first, in the order of `target.files`. */
  paths: string[];
  /** Moves the files into place; refuses (nothing moved) when a file appeared there meanwhile and `--force` was not given. */
  commit(): void;
  discard(): void;
}

export function stage(target: ExportTarget): Staging {
  const parent = target.format === 'csv' && existsSync(target.path) ? target.path : dirname(target.path);
  const folder = mkdtempSync(join(parent, '.omnize-export-'));
  const paths = target.files.map((file) => join(folder, basename(file.path)));
  const discard = () => rmSync(folder, { recursive: true, force: true });
  return {
    paths,
    discard,
    commit() {
      if (!target.replace) for (const file of target.files) checkFileSlot(file, false);
      if (target.format === 'csv') mkdirSync(target.path, { recursive: true });
      target.files.forEach((file, index) => {
        renameSync(paths[index]!, file.path);
      });
      discard();
    },
  };
}

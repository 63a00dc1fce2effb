import type { ManifestProblem } from './types.js';

/** Shown instead of a password that a message would otherwise quote (e.g. a value shifted into the wrong column). */
const HIDDEN = '[hidden]';

interface Entry {
  problem: ManifestProblem;
  fileOrder: number;
  sheetOrder: number;
  columnOrder: number;
  sequence: number;
}

/**
 * Collects problems as the readers and checks find them, in any order, and
 * hands them back in the order a person reads the manifest: file, sheet,
 * row, column.
 */
export class ProblemCollector {
  private readonly entries: Entry[] = [];
  private readonly fileOrders = new Map<string, number>();
  private readonly sheetOrders = new Map<string, number>();
  private errorCount = 0;

  /** Fixes the position of a file (and optionally a sheet) in the output before any problem of it arrives. */
  register(file: string, sheet?: string): void {
    if (!this.fileOrders.has(file)) this.fileOrders.set(file, this.fileOrders.size);
    if (sheet !== undefined) {
      const key = `${file}\u0000${sheet}`;
      if (!this.sheetOrders.has(key)) this.sheetOrders.set(key, this.sheetOrders.size);
    }
  }

  /** `columnOrder` is the column's position in its sheet, so problems of one row come left to right. */
  add(found: ManifestProblem, columnOrder = -1): void {
    const problem = canonical(found);
    this.register(problem.file, problem.sheet);
    const sheetOrder =
      problem.sheet === undefined
        ? -1
        : (this.sheetOrders.get(`${problem.file}\u0000${problem.sheet}`) ?? -1);
    this.entries.push({
      problem,
      fileOrder: this.fileOrders.get(problem.file) ?? 0,
      sheetOrder,
      columnOrder,
      sequence: this.entries.length,
    });
    if (problem.severity === 'error') this.errorCount += 1;
  }

  hasErrors(): boolean {
    return this.errorCount > 0;
  }

  sorted(): ManifestProblem[] {
    return [...this.entries]
      .sort(
        (a, b) =>
          a.fileOrder - b.fileOrder ||
          a.sheetOrder - b.sheetOrder ||
          a.problem.row - b.problem.row ||
          a.columnOrder - b.columnOrder ||
          a.sequence - b.sequence,
      )
      .map((entry) => entry.problem);
  }
}

/** The same fields in the same order, absent ones left out, so every problem prints (and serialises) alike. */
function canonical({ severity, file, sheet, row, column, message }: ManifestProblem): ManifestProblem {
  return {
    severity,
    file,
    ...(sheet === undefined ? {} : { sheet }),
    row,
    ...(column === undefined ? {} : { column }),
    message,
  };
}

/** Replaces every occurrence of the given secrets in a message; empty secrets are ignored. */
export function hideSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let result = message;
  for (const secret of secrets) {
    if (secret !== undefined && secret !== '' && result.includes(secret)) {
      result = result.split(secret).join(HIDDEN);
    }
  }
  return result;
}

/** `FILE[:SHEET][:ROW][:COLUMN]: severity: message`, the row left out for problems of a whole file or sheet. */
export function formatProblem(problem: ManifestProblem): string {
  let where = problem.file;
  if (problem.sheet !== undefined) where += `:${problem.sheet}`;
  if (problem.row > 0) where += `:${problem.row}`;
  if (problem.column !== undefined) where += `:${problem.column}`;
  return `${where}: ${problem.severity}: ${problem.message}`;
}

/** `3 errors, 1 warning in 2 files`. */
export function summarizeProblems(problems: readonly ManifestProblem[], fileCount: number): string {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(fileCount, 'file')}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * `npm run bench:manifest [-- --agents N --runs N]`: how fast, and in how
 * much memory, a 100k-agent roster is read and validated, next to exceljs's
 * `workbook.xlsx.readFile` on the same file, measured in the same run.
 *
 * Each measurement runs in a fresh `node` process (peak RSS is per process)
 * on JavaScript compiled from src/manifest for the occasion, as the CLI runs
 * it; the figures are the time of the call and the process's peak RSS.
 * Targets (issue 3): XLSX within 0.9× the baseline's time and 0.4× its peak
 * RSS; CSV under 2.5 s and 150 MB.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { writeRoster } from './roster.js';

const PROJECT = new URL('../', import.meta.url).pathname;
const BUILD = join(PROJECT, '.tmp', 'bench-manifest');
const XLSX_TIME_RATIO = 0.9;
const XLSX_MEMORY_RATIO = 0.4;
const CSV_SECONDS = 2.5;
const CSV_MEGABYTES = 150;

interface Measurement {
  seconds: number;
  peakMegabytes: number;
  note: string;
}

/** What each child process runs: `PATH` is the file or folder to read. */
const SCRIPTS = {
  'exceljs readFile (baseline)': `
    const { default: ExcelJS } = await import('exceljs');
    const start = performance.now();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(PATH);
    const rows = workbook.worksheets.reduce((sum, sheet) => sum + sheet.actualRowCount, 0);
    report(start, rows + ' rows read');`,
  'exceljs WorkbookReader (for reference)': `
    const { default: ExcelJS } = await import('exceljs');
    const start = performance.now();
    let rows = 0;
    for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(PATH, {})) for await (const _row of sheet) rows++;
    report(start, rows + ' rows read');`,
  'omnize-sync validate': `
    const { loadManifest } = await import(BUILD + '/manifest/index.js');
    const start = performance.now();
    const loaded = await loadManifest([PATH]);
    const agents = loaded.desired ? loaded.desired.agents.length : 0;
    report(start, agents + ' agents valid, ' + loaded.problems.length + ' problems');`,
};

type Subject = keyof typeof SCRIPTS;

function childSource(subject: Subject, path: string): string {
  return `
    const PATH = ${JSON.stringify(path)};
    const BUILD = ${JSON.stringify(`file://${BUILD}`)};
    const report = (start, note) => process.stdout.write(JSON.stringify({
      seconds: (performance.now() - start) / 1000,
      peakMegabytes: process.resourceUsage().maxRSS / 1024,
      note,
    }));
    ${SCRIPTS[subject]}`;
}

async function measure(subject: Subject, path: string, runs: number): Promise<Measurement> {
  const results: Measurement[] = [];
  for (let run = 0; run < runs; run++) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', childSource(subject, path)],
      { cwd: PROJECT, maxBuffer: 1024 * 1024 },
    );
    results.push(JSON.parse(stdout) as Measurement);
  }
  // The median time, and the worst peak: memory has to fit every time.
  const seconds = results.map((result) => result.seconds).sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
  const peakMegabytes = Math.max(...results.map((result) => result.peakMegabytes));
  return { seconds, peakMegabytes, note: results[0]?.note ?? '' };
}

/** Compiles src/manifest (and what it imports) to plain JavaScript, as `npm run build` would. */
function compileManifest(): void {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: ['node'],
    rootDir: join(PROJECT, 'src'),
    outDir: BUILD,
  };
  const program = ts.createProgram([join(PROJECT, 'src/manifest/index.ts')], options);
  const { emitSkipped, diagnostics } = program.emit();
  if (emitSkipped) {
    throw new Error(ts.formatDiagnostics(diagnostics, ts.createCompilerHost(options)));
  }
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number ≥ 1`);
  return value;
}

function row(label: string, measured: Measurement, rows: number, baseline?: Measurement): string {
  const ratios =
    baseline === undefined
      ? ''
      : `  ${(measured.seconds / baseline.seconds).toFixed(2)}× time, ${(measured.peakMegabytes / baseline.peakMegabytes).toFixed(2)}× RSS`;
  const rate = Math.round(rows / measured.seconds).toLocaleString('en-US');
  return `${label.padEnd(44)} ${measured.seconds.toFixed(2).padStart(6)} s ${rate.padStart(9)} rows/s ${measured.peakMegabytes.toFixed(0).padStart(5)} MB${ratios}  (${measured.note})`;
}

function verdict(ok: boolean, text: string): string {
  return `${ok ? 'met   ' : 'MISSED'} ${text}`;
}

async function main(): Promise<void> {
  const agents = argument('agents', 100_000);
  const runs = argument('runs', 1);
  compileManifest();
  const folder = await mkdtemp(join(tmpdir(), 'omnize-bench-manifest-'));
  try {
    process.stdout.write(
      `Writing a ${agents.toLocaleString('en-US')}-agent roster (XLSX and Windows-1252 ';' CSV)…\n`,
    );
    const roster = await writeRoster(folder, agents);
    process.stdout.write(
      `${roster.rows.toLocaleString('en-US')} rows; ${runs} run(s) each, peak RSS per process\n\n`,
    );
    const baseline = await measure('exceljs readFile (baseline)', roster.xlsx, runs);
    const streaming = await measure('exceljs WorkbookReader (for reference)', roster.xlsx, runs);
    const xlsx = await measure('omnize-sync validate', roster.xlsx, runs);
    const csv = await measure('omnize-sync validate', roster.csvFolder, runs);
    process.stdout.write(
      [
        row('XLSX exceljs readFile (baseline)', baseline, roster.rows),
        row('XLSX exceljs WorkbookReader', streaming, roster.rows, baseline),
        row('XLSX validate', xlsx, roster.rows, baseline),
        row('CSV (Windows-1252, ;) validate', csv, roster.rows),
        '',
        verdict(
          xlsx.seconds <= XLSX_TIME_RATIO * baseline.seconds,
          `XLSX time ≤ ${XLSX_TIME_RATIO}× baseline`,
        ),
        verdict(
          xlsx.peakMegabytes <= XLSX_MEMORY_RATIO * baseline.peakMegabytes,
          `XLSX peak RSS ≤ ${XLSX_MEMORY_RATIO}× baseline`,
        ),
        verdict(csv.seconds < CSV_SECONDS, `CSV under ${CSV_SECONDS} s`),
        verdict(csv.peakMegabytes < CSV_MEGABYTES, `CSV under ${CSV_MEGABYTES} MB`),
        '',
      ].join('\n'),
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

await main();

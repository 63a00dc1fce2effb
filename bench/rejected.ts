/**
 * bench:rejected (issue 10) — rejected.xlsx for 100,000 rejected agent rows, each with its own
 * error, as writeRejectedWorkbook writes it at the end of a run. Prints the wall time, the file's
 * size and the process's peak RSS (VmHWM), so a writer that holds rows (shared strings, a
 * workbook in memory) shows as memory growing with the rows.
 *
 *   npm run bench:rejected
 *   REJECTED_ROWS=10000 npm run bench:rejected
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandBack } from '../src/manifest/index.js';
import { REJECTED_FILE } from '../src/report/no-rejected.js';
import { writeRejectedWorkbook } from '../src/report/rejected.js';

const ROWS = Number(process.env.REJECTED_ROWS ?? 100_000);
const HEADERS = ['account', 'email', 'name', 'profile', 'departments', 'password', 'error'];

/** Rows made one at a time, as the manifest reader hands them back. */
function* agentRows(count: number): Generator<string[]> {
  for (let index = 0; index < count; index += 1) {
    const account = `cliente${(index % 20) + 1}`;
    yield [
      account,
      `agente${index}@${account}.com.br`,
      `Agente ${index} de ${account}`,
      'AGENT',
      `Departamento ${index % 5}`,
      '',
      `agent.create: E-mail agente${index}@${account}.com.br already in use (HTTP 422)`,
    ];
  }
}

function peakRssMiB(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match === null ? Number.NaN : Number(match[1]) / 1024;
}

const folder = mkdtempSync(join(tmpdir(), 'omnize-bench-rejected-'));
try {
  const handBack: HandBack = {
    rejected: ROWS,
    sheets: [
      {
        kind: 'agents',
        name: 'agents',
        headers: HEADERS,
        passwordColumns: [HEADERS.indexOf('password')],
        errorColumn: HEADERS.indexOf('error'),
        rows: { [Symbol.iterator]: () => agentRows(ROWS) },
      },
    ],
  };
  const started = performance.now();
  await writeRejectedWorkbook(folder, handBack);
  const seconds = (performance.now() - started) / 1000;
  const bytes = statSync(join(folder, REJECTED_FILE)).size;
  console.log(
    `rejected.xlsx, ${ROWS.toLocaleString('en')} rows: ${seconds.toFixed(1)} s, ` +
      `${(bytes / 1e6).toFixed(1)} MB, peak RSS ${peakRssMiB().toFixed(0)} MiB`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}

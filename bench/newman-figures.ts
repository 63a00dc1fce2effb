/**
 * The figures bench:newman prints from its runs: medians, and the phase times of the omnize-sync
 * runs at debug level, one `{phase, ms}` line per phase (src/run/phases.ts), run by run.
 */

export interface PhasedRun {
  exit: string;
  wallMs: number;
  stderr: string;
  loadAverage: [number, number];
}

const REST = 'rest (after reports: exit)';
const WALL = 'wall, spawn to exit';
const LABEL_WIDTH = 28;
const COLUMN_WIDTH = 8;

export function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The phases a run logged, in order, with the rest of its wall time and the wall time itself. */
function phasesOf(run: PhasedRun): Map<string, number> {
  const phases = new Map<string, number>();
  for (const line of run.stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; phase?: string; ms?: number };
    if (entry.msg === 'phase' && entry.phase !== undefined && entry.ms !== undefined) {
      phases.set(entry.phase, entry.ms);
    }
  }
  const accounted = [...phases.values()].reduce((sum, ms) => sum + ms, 0);
  // Spawning the process counts in `start` (process.uptime()), so what is left is after the last phase.
  phases.set(REST, Math.round(run.wallMs - accounted));
  phases.set(WALL, Math.round(run.wallMs));
  return phases;
}

/** One row per phase, one column per run, then the median of each row. */
export function printPhaseTable(runs: PhasedRun[]): void {
  const perRun = runs.map(phasesOf);
  const names = [...new Set(perRun.flatMap((phases) => [...phases.keys()]))];
  const cell = (text: string) => text.padStart(COLUMN_WIDTH);
  const header = runs.map((_, index) => cell(`run ${index + 1}`)).join('');
  console.log(`  ${'phase, ms'.padEnd(LABEL_WIDTH)}${header}${cell('median')}`);
  for (const name of names) {
    const values = perRun.map((phases) => phases.get(name));
    const known = values.filter((value): value is number => value !== undefined);
    const columns = values.map((value) => cell(value === undefined ? '-' : String(value))).join('');
    const middle = known.length === 0 ? '-' : String(Math.round(median(known)));
    console.log(`  ${name.padEnd(LABEL_WIDTH)}${columns}${cell(middle)}`);
  }
  console.log(`  ${'exit'.padEnd(LABEL_WIDTH)}${runs.map((run) => cell(run.exit)).join('')}`);
  const loads = runs.map((run) => cell(run.loadAverage[0].toFixed(1)));
  console.log(`  ${'load average before'.padEnd(LABEL_WIDTH)}${loads.join('')}`);
}

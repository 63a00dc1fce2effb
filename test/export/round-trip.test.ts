import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_FILES, writeCsvFile, writeWorkbook } from '../../src/export/files.js';
import { isExact, readBack } from '../../src/export/read-back.js';
import { EXPORT_HEADERS, type ExportTables, exportTables } from '../../src/export/rows.js';
import { selectExportAccounts } from '../../src/export/selection.js';
import type { Observed } from '../../src/model/observed.js';
import { MANIFEST_KINDS } from '../../src/model/vocabulary.js';
import { testFingerprint } from '../plan/world.js';
import { type LiveWorld, liveWorlds } from './live-worlds.js';

/** Each case writes and reads files (an XLSX in half of them): fewer than the planner's 1,000. */
const RUNS = 150;

const folder = mkdtempSync(join(tmpdir(), 'omnize-export-property-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let written = 0;

/** Exports the world to files the way the command does, and returns them as `plan` would be given them. */
async function exportToFiles(world: LiveWorld, tables: ExportTables): Promise<string[]> {
  written += 1;
  const into = join(folder, String(written));
  mkdirSync(into);
  if (world.format === 'xlsx') {
    await writeWorkbook(join(into, 'roster.xlsx'), tables);
    return [join(into, 'roster.xlsx')];
  }
  for (const kind of MANIFEST_KINDS) writeCsvFile(join(into, CSV_FILES[kind]), kind, tables);
  return [into];
}

function exported(world: LiveWorld): ExportTables {
  const { accounts } = selectExportAccounts(world.remembered, world.selectors);
  return exportTables(accounts, world.observed, world.remembered);
}

/** The same live state, listed by the API in another order. */
function reversed(observed: Observed): Observed {
  const accounts = new Map(
    [...observed.accounts].map(([id, contents]) => [
      id,
      {
        agents: [...contents.agents].reverse(),
        departments: [...contents.departments]
          .reverse()
          .map((d) => ({ ...d, channels: [...d.channels].reverse(), agentIds: [...d.agentIds].reverse() })),
      },
    ]),
  );
  return { accounts };
}

describe('export round trip (property)', () => {
  it('reads back with 0 errors and plans to no change against the live state and state store it came from', async () => {
    await fc.assert(
      fc.asyncProperty(liveWorlds, async (world) => {
        const tables = exported(world);
        const files = await exportToFiles(world, tables);
        const check = await readBack(files, folder, {
          observed: world.observed,
          remembered: world.remembered,
          fingerprint: testFingerprint,
        });
        expect(check.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
        expect(check.plan?.actions).toEqual([]);
        expect(check.plan?.notices).toEqual([]);
        expect(isExact(check)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('writes the same rows whatever order the API lists things in', () => {
    fc.assert(
      fc.property(liveWorlds, (world) => {
        expect(exported({ ...world, observed: reversed(world.observed) })).toEqual(exported(world));
      }),
      { numRuns: RUNS },
    );
  });

  it('has no password column, and a text_limit only where the state store remembers one', () => {
    fc.assert(
      fc.property(liveWorlds, (world) => {
        const tables = exported(world);
        for (const kind of MANIFEST_KINDS) expect(EXPORT_HEADERS[kind]).not.toContain('password');
        const limitColumn = EXPORT_HEADERS.agents.indexOf('text_limit');
        const emailColumn = EXPORT_HEADERS.agents.indexOf('email');
        const remembered = new Map(
          world.remembered.agents.map((agent) => [agent.email, agent.textLimit ?? '']),
        );
        for (const row of tables.agents) {
          const email = String(row[emailColumn]).toLowerCase();
          expect(row[limitColumn]).toBe(remembered.get(email) ?? '');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('neutralises every CSV cell that a spreadsheet would take for a formula', async () => {
    await fc.assert(
      fc.asyncProperty(
        liveWorlds.map((world) => ({ ...world, format: 'csv' as const })),
        async (world) => {
          const [into] = await exportToFiles(world, exported(world));
          for (const kind of MANIFEST_KINDS) {
            const text = readFileSync(join(into!, CSV_FILES[kind]), 'utf8');
            expect(text.startsWith('\ufeff')).toBe(true);
            const rows: string[][] = parse(text, { bom: true, delimiter: ';', record_delimiter: '\r\n' });
            expect(rows[0]).toEqual([...EXPORT_HEADERS[kind]]);
            for (const field of rows.flat()) expect(field).not.toMatch(/^[=+\-@]/);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

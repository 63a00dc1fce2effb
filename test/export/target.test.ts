import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportTarget, stage } from '../../src/export/target.js';
import { usageRefusal } from '../usage-refusal.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'omnize-export-target-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('exportTarget', () => {
  it('is a workbook for .xlsx (any case) and a folder of the three CSV files otherwise', () => {
    expect(exportTarget(dir, 'Roster.XLSX', false)).toMatchObject({
      format: 'xlsx',
      files: [{ path: join(dir, 'Roster.XLSX'), shown: 'Roster.XLSX' }],
    });
    expect(exportTarget(dir, 'out', false)).toMatchObject({
      format: 'csv',
      files: [{ shown: 'out/accounts.csv' }, { shown: 'out/departments.csv' }, { shown: 'out/agents.csv' }],
    });
  });

  it('refuses a .csv or other file name for --out: a folder or a workbook is wanted', () => {
    expect(usageRefusal(() => exportTarget(dir, 'agents.csv', false))).toBe(
      '--out agents.csv: name a .xlsx workbook, or a folder for accounts.csv, departments.csv and agents.csv',
    );
  });

  it('refuses a workbook that exists, naming it, unless --force', () => {
    writeFileSync(join(dir, 'roster.xlsx'), 'x');
    expect(usageRefusal(() => exportTarget(dir, 'roster.xlsx', false))).toBe(
      '--out: roster.xlsx already exists; give --force to replace it',
    );
    expect(exportTarget(dir, 'roster.xlsx', true).replace).toBe(true);
  });

  it('refuses a folder that holds one of the three files, naming that file, unless --force', () => {
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'departments.csv'), 'x');
    expect(usageRefusal(() => exportTarget(dir, 'out', false))).toBe(
      '--out: out/departments.csv already exists; give --force to replace it',
    );
    expect(exportTarget(dir, 'out', true).format).toBe('csv');
  });

  it('refuses a file where the folder should be, and a missing parent folder', () => {
    writeFileSync(join(dir, 'plain'), 'x');
    expect(usageRefusal(() => exportTarget(dir, 'plain', false))).toBe(
      '--out plain: a file stands where the folder should be',
    );
    expect(usageRefusal(() => exportTarget(dir, 'missing/roster.xlsx', false))).toBe(
      '--out missing/roster.xlsx: its folder does not exist',
    );
    expect(usageRefusal(() => exportTarget(dir, 'missing/out', false))).toBe(
      '--out missing/out: its folder does not exist',
    );
  });

  it('warns about other manifest files in the folder, which a folder manifest would read too', () => {
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'agents-old.csv'), 'x');
    writeFileSync(join(dir, 'out', 'notes.csv'), 'x');
    const target = exportTarget(dir, 'out', false);
    expect(target.warnings).toHaveLength(1);
    expect(target.warnings[0]).toMatch(/^out\/agents-old\.csv is also in the folder/);
  });
});

describe('stage', () => {
  it('writes into a staging folder and moves the files into place on commit, leaving nothing else', () => {
    const target = exportTarget(dir, 'out', false);
    const staging = stage(target);
    for (const path of staging.paths) writeFileSync(path, 'rows');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    staging.commit();
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['accounts.csv', 'agents.csv', 'departments.csv']);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('leaves nothing behind when discarded', () => {
    const staging = stage(exportTarget(dir, 'roster.xlsx', false));
    writeFileSync(staging.paths[0]!, 'half');
    staging.discard();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses at commit a file that appeared meanwhile, unless --force, and moves nothing', () => {
    const staging = stage(exportTarget(dir, 'roster.xlsx', false));
    writeFileSync(staging.paths[0]!, 'export');
    writeFileSync(join(dir, 'roster.xlsx'), 'theirs');
    expect(usageRefusal(() => staging.commit())).toBe(
      '--out: roster.xlsx already exists; give --force to replace it',
    );
  });
});

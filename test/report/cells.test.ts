import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, csvLine, toCsv } from '../../src/report/cells.js';
import { createRunFolder } from '../../src/report/run-folder.js';

describe('toCsv', () => {
  it('quotes fields with commas, quotes and line breaks, and ends lines with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', 3],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",3\r\n');
    expect(csvField(undefined)).toBe('');
    expect(csvField('=1+1')).toBe("'=1+1");
  });
});

describe('createRunFolder', () => {
  it('names the folder by UTC time and command, and never reuses one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omnize-report-'));
    const at = new Date('2026-11-29T02:15:00.123Z');
    const first = createRunFolder(join(dir, 'reports'), 'apply', at);
    const second = createRunFolder(join(dir, 'reports'), 'apply', at);
    expect(first.endsWith('20261129T021500Z-apply')).toBe(true);
    expect(second.endsWith('20261129T021500Z-apply-2')).toBe(true);
    expect(readdirSync(join(dir, 'reports'))).toHaveLength(2);
  });
});

describe('csvLine', () => {
  it('is one line of toCsv, neutralised and quoted the same', () => {
    const row = ['=SUM(A1)', 'a,b', 3];
    expect(csvLine(row)).toBe(toCsv(['x'], [row]).split('\r\n')[1]?.concat('\r\n'));
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeRow, SETTING_KEYS } from '../../src/config/settings.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The cells of each row of the first table under a heading, header row included, separator row left out. */
function tableUnder(heading: string, markdown: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`README has no heading "${heading}"`);
  const rest = lines.slice(start + 1);
  const first = rest.findIndex((line) => line.startsWith('|'));
  const end = rest.findIndex((line, index) => index > first && !line.startsWith('|'));
  return rest
    .slice(first, end === -1 ? undefined : end)
    .filter((line) => !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, line.endsWith('|') ? -1 : undefined)
        // An escaped `\|` stays inside its cell, as GitHub renders it.
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

describe("the README's configuration table", () => {
  const [header, ...rows] = tableUnder('## Configuration', README);

  it('has the columns of CONTRACT §8', () => {
    expect(header).toEqual(['flag', 'environment', 'default']);
  });

  it('lists the settings of src/config/settings.ts, in order, with their environment names and defaults', () => {
    const expected = SETTING_KEYS.map((key) => {
      const row = readmeRow(key);
      return [row.flag, row.environment, row.default];
    });
    expect(rows).toEqual(expected);
  });
});

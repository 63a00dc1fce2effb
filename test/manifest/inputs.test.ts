import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadManifest } from '../../src/manifest/index.js';
import { temporaryManifests } from './support/temp-manifests.js';

const { root: rootFolder, manifest, problemLines } = temporaryManifests();

describe('loadManifest inputs', () => {
  it('reads a folder’s CSV files, warning about others, skipping Excel lock files', async () => {
    const folder = await manifest({
      'agents.csv': 'account_id,email,name\n1,a@x.com,Ana\n',
      'notes.csv': 'x\n',
      '~$roster.xlsx': 'lock',
      'roster.xlsx': 'not read',
      'README.txt': 'ignored',
    });
    expect(await problemLines([folder])).toEqual([
      `${folder}/notes.csv: warning: ignored: name it accounts*.csv, departments*.csv or agents*.csv`,
      `${folder}/roster.xlsx: warning: ignored: the folder also has CSV files, which are read instead`,
    ]);
  });

  it('reads a recorded path where it is, whatever the cwd, and shows it as it was typed', async () => {
    const folder = await manifest({ 'agents.csv': 'account_id,email,name\n1,a@x.com,Ana\n' });
    const path = join(rootFolder(), folder);
    const loaded = await loadManifest([{ path, given: 'roster' }], { cwd: '/nonexistent' });
    expect(loaded.problems).toEqual([]);
    expect(loaded.files).toEqual(['roster/agents.csv']);
    const agent = [...loaded.desired!.agents.values()][0];
    expect(agent?.source).toMatchObject({ file: 'roster/agents.csv', row: 2 });
  });

  it('names files that do not exist or cannot be told apart, and still reads the rest', async () => {
    const folder = await manifest({
      'agents.csv': 'account_id,email,name\n1,a@x.com,Ana\n',
      'people.csv': 'x\n',
    });
    const loaded = await loadManifest(
      [`${folder}/missing.csv`, `${folder}/people.csv`, `${folder}/agents.csv`],
      {
        cwd: rootFolder(),
      },
    );
    expect(loaded.problems.map(formatProblem)).toEqual([
      `${folder}/missing.csv: error: does not exist`,
      `${folder}/people.csv: error: cannot tell what this file holds from its name: name it accounts*.csv, departments*.csv or agents*.csv`,
    ]);
    expect(loaded.desired).toBeUndefined();
    expect(loaded.files).toEqual([`${folder}/agents.csv`]);
  });

  it('reads one workbook or CSV files, not both', async () => {
    const folder = await manifest({
      'agents.csv': 'account_id,email,name\n1,a@x.com,Ana\n',
      'roster.xlsx': 'x',
    });
    expect(await problemLines([`${folder}/agents.csv`, `${folder}/roster.xlsx`])).toEqual([
      `${folder}/roster.xlsx: error: skipped: a manifest is one .xlsx workbook or CSV files, not both nor several workbooks`,
    ]);
  });

  it('does not report references into a file that could not be read', async () => {
    const folder = await manifest({
      'accounts.csv': 'key;email;main_contact;license_quantity\nacme;a@acme.com;Ana;1\nbeta;b;c;1;x\n',
      'agents.csv': 'account;email;name\nbeta;b@beta.com;Bia\n',
    });
    expect(await problemLines([folder])).toEqual([
      `${folder}/accounts.csv:3: error: this row has 5 fields but the header has 4: a ";" in a value without quotes? The rest of the file is not read`,
    ]);
  });
});

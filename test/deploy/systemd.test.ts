import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runsHere, SYSTEMD_ANALYZE } from '../real-tools.js';

/** deploy/systemd/: the timer + service beside the README's crontab line, checked by `systemd-analyze verify`. */
const FOLDER = new URL('../../deploy/systemd/', import.meta.url).pathname;
const UNITS = ['omnize-sync.service', 'omnize-sync.timer'];

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function verify(folder: string) {
  return spawnSync(SYSTEMD_ANALYZE, ['verify', ...UNITS], { cwd: folder, encoding: 'utf8' });
}

/** A copy of the units with one line of `unit` replaced. */
function brokenCopy(unit: string, line: RegExp, replacement: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'omnize-systemd-'));
  folders.push(folder);
  cpSync(FOLDER, folder, { recursive: true });
  const path = join(folder, unit);
  const text = readFileSync(path, 'utf8');
  expect(text).toMatch(line);
  writeFileSync(path, text.replace(line, replacement));
  return folder;
}

describe.runIf(runsHere(SYSTEMD_ANALYZE))('the systemd units (systemd-analyze verify)', () => {
  it('verify without an error or a warning', () => {
    const checked = verify(FOLDER);
    expect(checked.error).toBeUndefined();
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });

  it('fail the check with a calendar systemd cannot read (the check is real)', () => {
    const checked = verify(brokenCopy('omnize-sync.timer', /^OnCalendar=.*$/m, 'OnCalendar=every full moon'));
    expect(checked.status).not.toBe(0);
    expect(checked.stderr).toContain('Failed to parse calendar specification');
  });

  it('fail the check with a program that does not exist', () => {
    const checked = verify(
      brokenCopy('omnize-sync.service', /^ExecStart=\/usr\/bin\/env/m, 'ExecStart=/nonexistent/env'),
    );
    expect(checked.status).not.toBe(0);
    expect(checked.stderr).toContain('Command /nonexistent/env is not executable');
  });
});

describe('the systemd service', () => {
  const service = readFileSync(join(FOLDER, 'omnize-sync.service'), 'utf8');

  it('runs the same apply as the crontab line, with the token as a credential and metrics for the textfile collector', () => {
    expect(service).toMatch(
      /^ExecStart=.* bin\/omnize-sync\.js apply \S+ --yes --config config\/nightly\.json$/m,
    );
    expect(service).toContain('LoadCredential=token:/etc/omnize-sync/token');
    expect(service).toMatch(/^Environment=OMNIZE_METRICS_FILE=\S+\.prom$/m);
    expect(service).not.toMatch(/^Environment=OMNIZE_NOTIFY_URL/m);
  });
});

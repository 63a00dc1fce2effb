import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repository = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const VITEST = repository('node_modules/vitest/vitest.mjs');
const RUN_TIMEOUT_MS = 60_000;

/** Runs vitest, with the project's reporters, on one test file of `source` in a folder of its own. */
function runSuite(folder: string, source: string, environment: NodeJS.ProcessEnv) {
  writeFileSync(join(folder, 'probe.test.ts'), source);
  writeFileSync(
    join(folder, 'vitest.config.mjs'),
    `import NoSkipsUnderCi from ${JSON.stringify(repository('test/no-skips-reporter.ts'))};
export default { test: { include: ['probe.test.ts'], reporters: ['default', new NoSkipsUnderCi()] } };\n`,
  );
  const run = spawnSync(process.execPath, [VITEST, 'run', '--root', folder], {
    cwd: folder,
    encoding: 'utf8',
    env: { ...environment, NO_COLOR: '1' },
    timeout: RUN_TIMEOUT_MS,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const withoutCi = () => {
  const { CI: _ci, ...rest } = process.env;
  return rest;
};

describe('the no-skips reporter (vitest.config.ts)', () => {
  let folder: string | undefined;
  const probeFolder = () => {
    folder = mkdtempSync(join(tmpdir(), 'omnize-no-skips-'));
    symlinkSync(repository('node_modules'), join(folder, 'node_modules'));
    return folder;
  };
  afterEach(() => {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  });

  // The probe's modifiers are spliced in, so that this file holds no left-out test of its own: the
  // probe suite is written to a temporary folder and run there, never collected from the tree.
  const [skip, runIf] = ['skip', 'runIf'];
  const SKIPPING = `import { describe, expect, it } from 'vitest';
it('runs', () => expect(1).toBe(1));
it.${skip}('was skipped', () => {});
describe.${runIf}(false)('a real tool', () => { it('was left out', () => {}); });\n`;

  it(
    'under CI fails a run that left tests out, naming each',
    () => {
      const run = runSuite(probeFolder(), SKIPPING, { ...withoutCi(), CI: 'true' });
      expect(run.output).toContain('Under CI every test runs, but 2 did not:');
      expect(run.output).toContain('probe.test.ts: was skipped');
      expect(run.output).toContain('probe.test.ts: a real tool > was left out');
      expect(run.status).toBe(1);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'off CI lets them be left out',
    () => {
      const run = runSuite(probeFolder(), SKIPPING, withoutCi());
      expect(run.output).not.toContain('Under CI every test runs');
      expect(run.status).toBe(0);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'under CI passes a run where every test ran',
    () => {
      const run = runSuite(
        probeFolder(),
        `import { expect, it } from 'vitest';\nit('runs', () => expect(1).toBe(1));\n`,
        { ...withoutCi(), CI: 'true' },
      );
      expect(run.output).not.toContain('Under CI every test runs');
      expect(run.status).toBe(0);
    },
    RUN_TIMEOUT_MS,
  );
});

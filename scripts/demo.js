#!/usr/bin/env node
// The quickstart: starts the sandbox (the local Partner API simulator) on a free port, seeded
// from fixtures/sandbox/demo.json, then plans and applies the demo roster in fixtures/demo
// against it with a fresh state store, and says where the report is. Everything it writes goes
// to ./demo-run/, which is emptied at each start.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { startSandbox } = await import(join(root, 'dist/sandbox/index.js')).catch(() => {
  console.error('The program is not built: run `npm ci` (or `npm run build`) first.');
  process.exit(1);
});

const token = 'demo-partner-token';
const workDir = join(root, 'demo-run');
rmSync(workDir, { recursive: true, force: true });
const seed = JSON.parse(readFileSync(join(root, 'fixtures/sandbox/demo.json'), 'utf8'));
const sandbox = await startSandbox({ port: 0, token, seed, record: false });
console.log(`Sandbox: ${sandbox.baseUrl} (seeded from fixtures/sandbox/demo.json)\n`);

const env = {
  ...process.env,
  OMNIZE_TOKEN: token,
  OMNIZE_BASE_URL: sandbox.baseUrl,
  OMNIZE_AUTH_URL: sandbox.authUrl,
  OMNIZE_STATE: join(workDir, 'omnize-sync.db'),
  OMNIZE_REPORT_DIR: join(workDir, 'reports'),
  OMNIZE_LOG_LEVEL: process.env.OMNIZE_LOG_LEVEL ?? 'warn',
};
const cli = (...args) => {
  console.log(`$ omnize-sync ${args.join(' ')}`);
  // Asynchronously: the sandbox answers from this same process.
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/omnize-sync.js'), ...args], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    child.on('close', (code) => {
      console.log('');
      resolve(code ?? 1);
    });
  });
};

let exitCode = await cli('plan', 'fixtures/demo');
if (exitCode === 0) exitCode = await cli('apply', 'fixtures/demo', '--yes');
if (exitCode === 0) exitCode = await cli('plan', 'fixtures/demo', '--detailed-exitcode');
await sandbox.stop();
console.log(
  exitCode === 0 ? `Done. Reports are in ${join(workDir, 'reports')}` : `Stopped with exit code ${exitCode}.`,
);
process.exit(exitCode);

// The last step of `npm run build`: the V8 code cache of the bundle for the flags this process runs
// with (bin/program.js names the file by them: dist/bundle/omnize-sync.cjs.cache without flags),
// which bin/program.js hands V8 at every start under the same flags. scripts/bundle.js runs it
// without flags and with the image's NODE_OPTIONS; run it with other NODE_OPTIONS to make the
// cache for those.
//
// V8 caches the functions compiled by the time the cache is made, and compiles most functions only
// when first called; so the cache is made after the program has done the work of a run, in this
// process: the quickstart's apply of fixtures/demo against the sandbox (creates,
// updates, memberships, the journal, the report folder) and a plan that must find nothing left to
// do. A cache made after `--version` alone left a 1,000-agent apply compiling the manifest reader,
// the planner, the request path and the reports as it went (bench:newman: ~20 ms of ~3 s).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { codeCacheFile, loadProgram } from '../bin/program.js';

const root = new URL('..', import.meta.url);
const TOKEN = 'code-cache-token';

const file = codeCacheFile();
if (file === undefined) {
  console.error(
    'code-cache: these flags are too long to name a code cache; the program compiles itself under them',
  );
  process.exit(1);
}
rmSync(file, { force: true });
const program = loadProgram();
await runTypicalWork(program.runCli);
writeFileSync(file, program.script.createCachedData());

/** The runs the cache is made after; throws, naming the run, when one does not end as it should. */
async function runTypicalWork(runCli) {
  const { startSandbox } = await import(new URL('dist/sandbox/index.js', root).href);
  const seed = JSON.parse(readFileSync(new URL('fixtures/sandbox/demo.json', root), 'utf8'));
  const sandbox = await startSandbox({ port: 0, token: TOKEN, seed, record: false });
  const work = mkdtempSync(join(tmpdir(), 'omnize-code-cache-'));
  try {
    const roster = fileURLToPath(new URL('fixtures/demo', root));
    const env = {
      OMNIZE_TOKEN: TOKEN,
      OMNIZE_BASE_URL: sandbox.baseUrl,
      OMNIZE_AUTH_URL: sandbox.authUrl,
      OMNIZE_STATE: join(work, 'omnize-sync.db'),
      OMNIZE_REPORT_DIR: join(work, 'reports'),
      OMNIZE_LOG_LEVEL: 'warn',
    };
    const runs = [
      ['apply', roster, '--yes'],
      ['plan', roster, '--detailed-exitcode'],
    ];
    for (const args of runs) {
      const output = [];
      const sink = new Writable({
        write(chunk, _encoding, done) {
          output.push(String(chunk));
          done();
        },
      });
      const io = { stdout: sink, stderr: sink, stdin: Readable.from([]), env, cwd: work };
      const code = await runCli(args, io);
      if (code !== 0) {
        const shown = args.map((arg) => (arg === roster ? 'fixtures/demo' : arg)).join(' ');
        throw new Error(
          `code-cache: \`omnize-sync ${shown}\` against the sandbox exited ${code}, not 0:\n${output.join('').trimEnd()}`,
        );
      }
    }
  } finally {
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

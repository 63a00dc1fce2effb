/**
 * The checks scripts/replay-dockerfile.ts runs on the assembled runtime tree:
 * the program starts from the pruned node_modules alone, the ENTRYPOINT
 * resolves through the image's PATH, the compiled SQLite addon loads and
 * writes to the volume, and no devDependency is left in the image.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

/** The runtime stage as assembled: `root` stands for the image's `/`. */
export interface RuntimeImage {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  entrypoint: string[];
  command: string[];
}

/** The PATH of the node base images, which the Dockerfile does not change. */
const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** An absolute path of the image, inside the folder that stands for its `/`. */
export function inside(root: string, imagePath: string): string {
  return join(root, posix.resolve('/', imagePath));
}

/**
 * This machine's environment (for PATH to node and the toolchain, HOME for the
 * npm cache) without what would let a step lean on the repository: npm's own
 * variables when run through npx, node_modules/.bin on PATH, NODE_PATH.
 */
export function replayEnvironment(stageEnv: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && name !== 'NODE_PATH' && name !== 'NODE_OPTIONS') env[name] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((folder) => !folder.includes('node_modules'))
    .join(':');
  return { ...env, ...stageEnv, NO_COLOR: '1' };
}

/** Runs every check; throws naming the first that fails. */
export function checkRuntimeTree(image: RuntimeImage): void {
  const entry = findEntrypoint(image);
  const appFolder = dirname(dirname(realpathSync(entry)));
  const manifest = JSON.parse(readFileSync(join(appFolder, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const binScript = join(appFolder, Object.values(manifest.bin)[0]!);
  const env = replayEnvironment(image.env);
  const cwd = inside(image.root, image.workdir);

  expectRun(
    'plain node runs --help from the pruned tree',
    process.execPath,
    [binScript, '--help'],
    cwd,
    env,
    /omnize-sync/,
  );
  expectRun(
    `ENTRYPOINT ${JSON.stringify(image.entrypoint)} with CMD ${JSON.stringify(image.command)}`,
    entry,
    [...image.entrypoint.slice(1), ...image.command],
    cwd,
    env,
    /omnize-sync/,
  );

  const statePath = inside(image.root, image.env.OMNIZE_STATE ?? posix.join(image.workdir, 'probe.db'));
  const probe = [
    "const Database = require('better-sqlite3');",
    'const db = new Database(process.argv[1]);',
    "db.pragma('journal_mode = WAL');",
    "db.exec('create table probe (value integer)');",
    "db.prepare('insert into probe values (?)').run(42);",
    "if (db.prepare('select value from probe').get().value !== 42) process.exit(2);",
    'db.close();',
    "console.log('better-sqlite3 ok');",
  ].join('\n');
  expectRun(
    'better-sqlite3 loads its compiled addon and writes the state file on the volume',
    process.execPath,
    ['-e', probe, statePath],
    appFolder,
    env,
    /better-sqlite3 ok/,
  );

  const leftOver = Object.keys(manifest.devDependencies ?? {}).filter((name) =>
    existsSync(join(appFolder, 'node_modules', name)),
  );
  if (leftOver.length > 0)
    throw new Error(`devDependencies left in the runtime image: ${leftOver.join(', ')}`);
  console.log('ok: no devDependency in the runtime node_modules');
}

/** The ENTRYPOINT's program, looked up on the image's PATH as Docker's exec form does. */
function findEntrypoint(image: RuntimeImage): string {
  const program = image.entrypoint[0];
  if (program === undefined) throw new Error('the runtime stage has no ENTRYPOINT in exec form');
  const folders = program.includes('/') ? [''] : (image.env.PATH ?? IMAGE_PATH).split(':');
  for (const folder of folders) {
    const candidate = inside(image.root, posix.join(folder, program));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`ENTRYPOINT ${program} is not on the image's PATH (${IMAGE_PATH})`);
}

function expectRun(
  what: string,
  program: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  expected: RegExp,
): void {
  const result = spawnSync(program, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0 || !expected.test(result.stdout)) {
    const reason = result.error?.message ?? `exit ${result.status ?? result.signal}`;
    throw new Error(`${what}: failed (${reason})\n${result.stdout}${result.stderr}`);
  }
  console.log(`ok: ${what}`);
}

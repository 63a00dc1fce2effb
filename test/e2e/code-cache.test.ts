import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repository = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const { codeCacheFile } = createRequire(import.meta.url)(repository('bin/program.js')) as {
  codeCacheFile: (execArgv: string[], nodeOptions: string) => string | undefined;
};
const BUNDLE = repository('dist/bundle/omnize-sync.cjs');
/** The runtime NODE_OPTIONS of the image (test/docker checks the Dockerfile's two are the same). */
const IMAGE_FLAGS = /NODE_OPTIONS="([^"]*)"/.exec(readFileSync(repository('Dockerfile'), 'utf8'))![1]!;
const OTHER_FLAGS = '--max-old-space-size=200';

type Cache = 'taken' | 'turned down' | 'none';

/**
 * Loads the program from `root` as bin/omnize-sync.js does, says what V8 did with its code cache,
 * and runs it. The probe is a file, as the program's entry is: `node -e` would put its code among
 * the process's flags, which name the cache.
 */
function cacheVerdict(root: string, nodeOptions = ''): { cache: Cache; version: string } {
  const probe = join(mkdtempSync(join(tmpdir(), 'omnize-code-cache-probe-')), 'probe.cjs');
  writeFileSync(
    probe,
    `const { cachedDataRejected } = require(${JSON.stringify(join(root, 'bin/program.js'))}).loadProgram().script;
    process.stdout.write(cachedDataRejected === undefined ? 'none' : cachedDataRejected ? 'turned down' : 'taken');`,
  );
  const env = { ...process.env, NODE_OPTIONS: nodeOptions };
  try {
    const cache = execFileSync(process.execPath, [probe], { encoding: 'utf8', env });
    const version = execFileSync(process.execPath, [join(root, 'bin/omnize-sync.js'), '--version'], {
      encoding: 'utf8',
      env,
    });
    return { cache: cache as Cache, version: version.trim() };
  } finally {
    rmSync(join(probe, '..'), { recursive: true, force: true });
  }
}

describe("the built program's V8 code cache", () => {
  let copy: string | undefined;
  afterEach(() => {
    if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
    copy = undefined;
  });

  /** bin/ and dist/bundle/ in a folder of their own, with the dependencies they require. */
  function copyOfProgram(): string {
    copy = mkdtempSync(join(tmpdir(), 'omnize-code-cache-'));
    cpSync(repository('bin'), join(copy, 'bin'), { recursive: true });
    cpSync(repository('dist/bundle'), join(copy, 'dist/bundle'), { recursive: true });
    cpSync(repository('package.json'), join(copy, 'package.json'));
    symlinkSync(repository('node_modules'), join(copy, 'node_modules'));
    return copy;
  }

  it('is named by the flags a process runs with, in any order, from its command line and NODE_OPTIONS', () => {
    expect(codeCacheFile([], '')).toBe(`${BUNDLE}.cache`);
    const named = `${BUNDLE}.max-old-space-size=160.max-semi-space-size=4.cache`;
    expect(codeCacheFile(['--max-semi-space-size=4'], '--max-old-space-size=160')).toBe(named);
    expect(codeCacheFile([], ' --max-old-space-size=160   --max-semi-space-size=4 ')).toBe(named);
    expect(codeCacheFile(['--require', '/tmp/a b.cjs'], '')).toBe(`${BUNDLE}._tmp_a_b.cjs.require.cache`);
    expect(codeCacheFile([], `--stack-trace-limit=${'9'.repeat(200)}`)).toBeUndefined();
  });

  it("is made by the build for no flags and for the image's NODE_OPTIONS, and taken by V8 under each", () => {
    expect(existsSync(codeCacheFile([], IMAGE_FLAGS)!)).toBe(true);
    const plain = cacheVerdict(repository(''));
    expect(plain.cache).toBe('taken');
    expect(plain.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(cacheVerdict(repository(''), IMAGE_FLAGS)).toEqual({ cache: 'taken', version: plain.version });
  });

  it('under flags it was not made for there is none; damaged or made under other flags, V8 turns it down; the program runs', () => {
    const root = copyOfProgram();
    const { version } = cacheVerdict(repository(''));
    expect(cacheVerdict(root, OTHER_FLAGS)).toEqual({ cache: 'none', version });
    const plainCache = join(root, 'dist/bundle/omnize-sync.cjs.cache');
    const imageCache = basename(codeCacheFile([], IMAGE_FLAGS)!);
    copyFileSync(join(root, 'dist/bundle', imageCache), plainCache);
    expect(cacheVerdict(root)).toEqual({ cache: 'turned down', version });
    writeFileSync(plainCache, 'not a code cache');
    expect(cacheVerdict(root)).toEqual({ cache: 'turned down', version });
  });

  it('missing, the program still runs', () => {
    const root = copyOfProgram();
    rmSync(join(root, 'dist/bundle/omnize-sync.cjs.cache'));
    expect(cacheVerdict(root)).toEqual({ cache: 'none', version: cacheVerdict(repository('')).version });
  });

  /** A copy of the program that scripts/code-cache.js can run in: the sandbox (in dist/) and the quickstart's roster. */
  function copyToMakeCachesIn(): string {
    const root = copyOfProgram();
    cpSync(repository('dist'), join(root, 'dist'), { recursive: true });
    cpSync(repository('fixtures/demo'), join(root, 'fixtures/demo'), { recursive: true });
    cpSync(repository('fixtures/sandbox'), join(root, 'fixtures/sandbox'), { recursive: true });
    cpSync(repository('scripts/code-cache.js'), join(root, 'scripts/code-cache.js'));
    return root;
  }

  it('made by scripts/code-cache.js under other flags, is taken under them, beside the others', () => {
    const root = copyToMakeCachesIn();
    execFileSync(process.execPath, [join(root, 'scripts/code-cache.js')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: OTHER_FLAGS },
    });
    expect(existsSync(join(root, 'dist/bundle/omnize-sync.cjs.max-old-space-size=200.cache'))).toBe(true);
    expect(cacheVerdict(root, OTHER_FLAGS).cache).toBe('taken');
    expect(cacheVerdict(root).cache).toBe('taken');
    expect(cacheVerdict(root, IMAGE_FLAGS).cache).toBe('taken');
  });

  it('is made after an apply and a plan of the quickstart roster; a run that fails there stops the build, named, with no cache', () => {
    const root = copyToMakeCachesIn();
    // A second account with the key `padaria`: the manifest is refused, so the apply exits 1.
    const accounts = join(root, 'fixtures/demo/accounts.csv');
    const text = readFileSync(accounts, 'utf8');
    writeFileSync(accounts, `${text}${text.split('\r\n')[1]}\r\n`);
    const made = spawnSync(process.execPath, [join(root, 'scripts/code-cache.js')], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: OTHER_FLAGS },
    });
    expect(made.status).toBe(1);
    expect(made.stderr).toContain(
      'code-cache: `omnize-sync apply fixtures/demo --yes` against the sandbox exited 1, not 0',
    );
    expect(made.stderr).toContain('accounts.csv');
    expect(existsSync(join(root, 'dist/bundle/omnize-sync.cjs.max-old-space-size=200.cache'))).toBe(false);
  });
});

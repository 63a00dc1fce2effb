import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repository = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

type Cache = 'taken' | 'turned down' | 'none';

/** Loads the program from `root` as bin/omnize-sync.js does, says what V8 did with its code cache, and runs it. */
function cacheVerdict(root: string, nodeOptions = ''): { cache: Cache; version: string } {
  const probe = `
    const { loadProgram } = await import(${JSON.stringify(join(root, 'bin/program.js'))});
    const { cachedDataRejected } = loadProgram().script;
    process.stdout.write(cachedDataRejected === undefined ? 'none' : cachedDataRejected ? 'turned down' : 'taken');`;
  const cache = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  const version = execFileSync(process.execPath, [join(root, 'bin/omnize-sync.js'), '--version'], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  return { cache: cache as Cache, version: version.trim() };
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

  it('is taken by V8 when the program runs with the flags the build ran with', () => {
    const { cache, version } = cacheVerdict(repository(''));
    expect(cache).toBe('taken');
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('turned down under other V8 flags, or when damaged, only costs the compile: the program still runs', () => {
    const root = copyOfProgram();
    const underOtherFlags = cacheVerdict(root, '--max-old-space-size=160 --max-semi-space-size=4');
    expect(underOtherFlags.cache).toBe('turned down');
    expect(underOtherFlags.version).toBe(cacheVerdict(repository('')).version);
    writeFileSync(join(root, 'dist/bundle/omnize-sync.cjs.cache'), 'not a code cache');
    expect(cacheVerdict(root)).toEqual({ cache: 'turned down', version: underOtherFlags.version });
  });

  it('missing, the program still runs', () => {
    const root = copyOfProgram();
    rmSync(join(root, 'dist/bundle/omnize-sync.cjs.cache'));
    expect(cacheVerdict(root)).toEqual({ cache: 'none', version: cacheVerdict(repository('')).version });
  });

  it('made again by scripts/code-cache.js under the runtime flags, is taken under them', () => {
    const root = copyOfProgram();
    cpSync(repository('scripts/code-cache.js'), join(root, 'scripts/code-cache.js'));
    const flags = '--max-old-space-size=160 --max-semi-space-size=4';
    execFileSync(process.execPath, [join(root, 'scripts/code-cache.js')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: flags },
    });
    expect(cacheVerdict(root, flags).cache).toBe('taken');
    expect(cacheVerdict(root).cache).toBe('turned down');
  });
});

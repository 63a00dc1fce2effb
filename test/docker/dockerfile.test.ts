import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type Instruction,
  isIgnored,
  parseArguments,
  parseCopy,
  parseDockerfile,
  parseDockerignore,
  parseEnv,
  type Stage,
} from '../../scripts/dockerfile.js';

const repository = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const stages = parseDockerfile(readFileSync(repository('Dockerfile'), 'utf8'));
const build = stages[0]!;
const runtime = stages.at(-1)!;
const all = (stage: Stage, keyword: string): Instruction[] =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword);
const runText = (stage: Stage) =>
  all(stage, 'RUN')
    .map((instruction) => instruction.argument)
    .join('\n');

describe('the Dockerfile', () => {
  it('builds in the full Node 20 image, which has the toolchain better-sqlite3 compiles with', () => {
    expect(stages).toHaveLength(2);
    expect(build.image).toMatch(/^node:20-bookworm$/);
    expect(build.name).toBe('build');
  });

  it('installs with the lockfile, builds, then prunes the devDependencies', () => {
    const text = runText(build);
    expect(text).toMatch(/npm ci\b/);
    expect(text).toMatch(/npm run build\b/);
    expect(text).toMatch(/npm prune --omit=dev/);
    expect(text.indexOf('npm prune')).toBeGreaterThan(text.indexOf('npm run build'));
  });

  it('runs in a slim image that needs no compiler, as a numeric non-root user', () => {
    expect(runtime.image).toMatch(/^node:20-bookworm-slim$/);
    expect(runText(runtime)).not.toMatch(/npm (ci|install|rebuild)|apt-get|node-gyp/);
    const users = all(runtime, 'USER');
    expect(users).toHaveLength(1);
    // Kubernetes' runAsNonRoot can only verify a numeric user; 1000 is `node` in the official images.
    expect(users[0]!.argument).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
  });

  it('keeps state and reports on the /data volume and runs omnize-sync as its entrypoint', () => {
    const env = Object.assign(
      {},
      ...all(runtime, 'ENV').map((instruction) => parseEnv(instruction.argument)),
    );
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      OMNIZE_STATE: '/data/omnize-sync.db',
      OMNIZE_REPORT_DIR: '/data/reports',
    });
    expect(env).not.toHaveProperty('OMNIZE_TOKEN');
    expect(all(runtime, 'VOLUME').flatMap((instruction) => parseArguments(instruction.argument))).toContain(
      '/data',
    );
    expect(parseArguments(all(runtime, 'ENTRYPOINT').at(-1)!.argument)).toEqual(['omnize-sync']);
    expect(runText(runtime)).toMatch(/ln -s \/app\/bin\/omnize-sync\.js \/usr\/local\/bin\/omnize-sync/);
  });

  it('copies into the runtime stage only what the build stage copied or produced', () => {
    const workdir = all(build, 'WORKDIR').at(-1)!.argument;
    const outDir = /"outDir":\s*"([^"]+)"/.exec(readFileSync(repository('tsconfig.build.json'), 'utf8'))![1];
    const produced = new Set(['node_modules', outDir]);
    for (const copy of all(build, 'COPY').map((instruction) => parseCopy(instruction.argument))) {
      const folder = copy.destination.replace(/^\.\/?/, '').replace(/\/$/, '');
      for (const source of copy.sources) produced.add(folder === '' ? source : folder);
    }
    const copies = all(runtime, 'COPY').map((instruction) => parseCopy(instruction.argument));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.from).toBe('build');
      for (const source of copy.sources) {
        expect(source.startsWith(`${workdir}/`)).toBe(true);
        expect(produced).toContain(source.slice(workdir.length + 1));
      }
    }
  });

  it("makes the bundle's code cache again under the runtime stage's NODE_OPTIONS, the only flags V8 takes it with", () => {
    const runtimeOptions = Object.assign(
      {},
      ...all(runtime, 'ENV').map((instruction) => parseEnv(instruction.argument)),
    ).NODE_OPTIONS as string | undefined;
    expect(runtimeOptions).toMatch(/--max-old-space-size=\d+/);
    const cacheRuns = all(build, 'RUN').filter((instruction) =>
      instruction.argument.includes('code-cache.js'),
    );
    expect(cacheRuns).toHaveLength(1);
    const [, options] =
      /^NODE_OPTIONS="([^"]*)" node scripts\/code-cache\.js$/.exec(cacheRuns[0]!.argument) ?? [];
    expect(options).toBe(runtimeOptions);
    expect(build.instructions.indexOf(cacheRuns[0]!)).toBeGreaterThan(
      build.instructions.findIndex((instruction) => /npm run build/.test(instruction.argument)),
    );
  });

  it('has an executable entry script, since the entrypoint runs it through its #! line', () => {
    const bin = repository('bin/omnize-sync.js');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    expect(readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});

describe('the .dockerignore', () => {
  const rules = parseDockerignore(readFileSync(repository('.dockerignore'), 'utf8'));

  it('lets every source the build stage copies into the context', () => {
    for (const copy of all(build, 'COPY').map((instruction) => parseCopy(instruction.argument))) {
      for (const source of copy.sources) expect(isIgnored(source, rules), source).toBe(false);
    }
    expect(isIgnored('src/cli/main.ts', rules)).toBe(false);
  });

  it('keeps out build output, state, reports, secrets and customer data', () => {
    for (const path of [
      'node_modules/zod/package.json',
      'dist/cli/main.js',
      'reports/2025-01-01T00-00-00Z-apply/summary.json',
      'omnize-sync.db',
      'src/omnize-sync.db-wal',
      '.git/HEAD',
      '.env',
      'token.txt',
      'roster.xlsx',
      'src/node_modules/x.js',
    ]) {
      expect(isIgnored(path, rules), path).toBe(true);
    }
  });
});

describe('the Dockerfile reader', () => {
  it('joins continued lines, skips comments inside them, and keeps line numbers', () => {
    const [stage] = parseDockerfile(
      'FROM node:20 AS build\n# note\nRUN a \\\n  # inside\n  && b\nENV A=1 \\\n    B="two words"\n',
    );
    expect(stage!.name).toBe('build');
    expect(stage!.instructions.map(({ keyword, line }) => [keyword, line])).toEqual([
      ['RUN', 3],
      ['ENV', 6],
    ]);
    expect(stage!.instructions[0]!.argument).toMatch(/^a\s+&& b$/);
    expect(parseEnv(stage!.instructions[1]!.argument)).toEqual({ A: '1', B: 'two words' });
  });

  it('reads COPY flags and the exec form, and refuses what a replay could not follow', () => {
    expect(parseCopy('--from=build --chown=1000 /app/dist ./dist')).toEqual({
      from: 'build',
      sources: ['/app/dist'],
      destination: './dist',
    });
    expect(parseCopy('["a b", "c/"]')).toEqual({ from: undefined, sources: ['a b'], destination: 'c/' });
    expect(() => parseDockerfile('FROM x\nRUN <<EOF\necho\nEOF\n')).toThrow(/heredoc/);
    expect(() => parseCopy('$SRC ./')).toThrow(/variables/);
    expect(() => parseEnv('PATH=$PATH:/x')).toThrow(/variables/);
  });

  it('applies .dockerignore rules in order, the last match winning, folders covering their contents', () => {
    const rules = parseDockerignore('*\n!src/\n**/*.db\n!src/keep.db\n');
    expect(isIgnored('README.md', rules)).toBe(true);
    expect(isIgnored('src/a/b.ts', rules)).toBe(false);
    expect(isIgnored('src/a/state.db', rules)).toBe(true);
    expect(isIgnored('src/keep.db', rules)).toBe(false);
  });
});

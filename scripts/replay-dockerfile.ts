/**
 * Replays the Dockerfile without a Docker engine, so CI catches a broken
 * build step: `npx tsx scripts/replay-dockerfile.ts [--head] [--keep]`.
 *
 * 1. The build context: the files git tracks (as in the working tree, or as
 *    committed with --head), filtered through .dockerignore.
 * 2. The build stage: every WORKDIR, ENV, COPY and RUN, in order, in a temp
 *    folder standing for the image's `/` (RUN through `/bin/sh -c`, as Docker).
 * 3. The runtime stage: its COPY --from sources must exist and are copied;
 *    its RUN steps are replayed only where they shape files (ln -s, mkdir).
 * 4. From the assembled runtime tree, away from the repository's own
 *    node_modules: `--help` with plain node, the ENTRYPOINT with its CMD,
 *    better-sqlite3's compiled addon, and no devDependency left behind.
 *
 * It reads the Dockerfile itself, so the two cannot drift: an instruction it
 * does not know stops it with a message saying so.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  isIgnored,
  parseCopy,
  parseDockerfile,
  parseDockerignore,
  parseEnv,
  type Stage,
  splitWords,
} from './dockerfile.js';
import { checkRuntimeTree, inside, type RuntimeImage, replayEnvironment } from './replay-runtime.js';

const REPOSITORY = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where a stage's files live: `root` stands for the image's `/`. */
interface StageTree {
  root: string;
  workdir: string;
  env: Record<string, string>;
}

function main(): void {
  const started = performance.now();
  const keep = process.argv.includes('--keep');
  const work = mkdtempSync(join(tmpdir(), 'omnize-docker-replay-'));
  try {
    const source = sourceTree(work, process.argv.includes('--head'));
    const stages = parseDockerfile(readFileSync(join(source.folder, 'Dockerfile'), 'utf8'));
    const context = makeContext(source, join(work, 'context'));
    const built = new Map<string, StageTree>();
    for (const stage of stages.slice(0, -1)) {
      built.set(
        stage.name ?? String(built.size),
        replayBuildStage(stage, context, join(work, `stage-${built.size}`)),
      );
    }
    const runtime = assembleRuntime(stages.at(-1)!, context, built, join(work, 'runtime'));
    checkRuntimeTree(runtime);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`\nreplay-dockerfile: every step replayed and the runtime tree works (${seconds} s)`);
  } finally {
    if (keep) console.log(`replay-dockerfile: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** The files of a clean clone: tracked files as they are in the working tree, or (--head) as committed. */
function sourceTree(work: string, fromHead: boolean): { folder: string; files: string[] } {
  const git = (args: string[]) => {
    const result = spawnSync('git', args, { cwd: REPOSITORY, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout.split('\0').filter((file) => file !== '');
  };
  if (!fromHead) return { folder: REPOSITORY, files: git(['ls-files', '-z']) };
  const folder = join(work, 'head');
  mkdirSync(folder);
  const extract = spawnSync('sh', ['-c', 'git archive --format=tar HEAD | tar -x -C "$1"', 'sh', folder], {
    cwd: REPOSITORY,
    stdio: 'inherit',
  });
  if (extract.status !== 0) throw new Error('git archive HEAD could not be extracted');
  return { folder, files: git(['ls-tree', '-r', '-z', '--name-only', 'HEAD']) };
}

/** The build context Docker would get from that tree: every file .dockerignore lets through. */
function makeContext(source: { folder: string; files: string[] }, context: string): string {
  const ignorePath = join(source.folder, '.dockerignore');
  const rules = existsSync(ignorePath) ? parseDockerignore(readFileSync(ignorePath, 'utf8')) : [];
  let count = 0;
  for (const file of source.files) {
    // A tracked file deleted in the working tree is not part of what Docker would see.
    if (isIgnored(file, rules) || !existsSync(join(source.folder, file))) continue;
    cpSync(join(source.folder, file), join(context, file), { verbatimSymlinks: true });
    count += 1;
  }
  console.log(`== build context: ${count} tracked files pass .dockerignore`);
  return context;
}

function replayBuildStage(stage: Stage, context: string, root: string): StageTree {
  const tree: StageTree = { root, workdir: '/', env: {} };
  mkdirSync(root, { recursive: true });
  console.log(`== stage ${stage.name ?? ''} (FROM ${stage.image}, Dockerfile:${stage.line})`);
  for (const instruction of stage.instructions) {
    const where = `Dockerfile:${instruction.line}`;
    console.log(`\n-- ${where} ${instruction.keyword} ${instruction.argument}`);
    switch (instruction.keyword) {
      case 'WORKDIR':
        setWorkdir(tree, instruction.argument);
        break;
      case 'ENV':
        Object.assign(tree.env, parseEnv(instruction.argument));
        break;
      case 'COPY':
        copyInto(tree, context, parseCopy(instruction.argument).sources, instruction.argument);
        break;
      case 'RUN':
        runShell(tree, instruction.argument, where);
        break;
      case 'ARG':
      case 'LABEL':
        break;
      default:
        throw new Error(
          `${where}: the replay does not know ${instruction.keyword}; teach scripts/replay-dockerfile.ts`,
        );
    }
  }
  return tree;
}

function setWorkdir(tree: StageTree, path: string): void {
  if (path.includes('$')) throw new Error(`variables in WORKDIR are not supported by the replay: ${path}`);
  tree.workdir = posix.resolve(tree.workdir, path);
  mkdirSync(inside(tree.root, tree.workdir), { recursive: true });
}

/** COPY's rules: a folder's contents go into the destination; files go into it when it ends with `/`. */
function copyInto(tree: StageTree, sourceRoot: string, sources: string[], argument: string): void {
  const { destination } = parseCopy(argument);
  const target = posix.resolve(tree.workdir, destination);
  const intoFolder = destination.endsWith('/') || sources.length > 1;
  for (const source of sources) {
    const from = join(sourceRoot, source);
    if (!existsSync(from))
      throw new Error(`COPY source ${source} does not exist (is it tracked, and allowed by .dockerignore?)`);
    const to = intoFolder ? posix.join(target, posix.basename(source)) : target;
    cpSync(from, inside(tree.root, to), { recursive: true, verbatimSymlinks: true });
  }
}

function runShell(tree: StageTree, command: string, where: string): void {
  const step = performance.now();
  const result = spawnSync('/bin/sh', ['-c', command], {
    cwd: inside(tree.root, tree.workdir),
    // Reuse the machine's npm cache; Docker's own layer cache plays that part in a real build.
    env: { ...replayEnvironment(tree.env), npm_config_prefer_offline: 'true' },
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`${where}: RUN failed (exit ${result.status ?? result.signal}): ${command}`);
  console.log(`-- ${where} done in ${((performance.now() - step) / 1000).toFixed(0)} s`);
}

function assembleRuntime(
  stage: Stage,
  context: string,
  built: Map<string, StageTree>,
  root: string,
): RuntimeImage {
  const image: RuntimeImage = { root, workdir: '/', env: {}, user: undefined, entrypoint: [], command: [] };
  console.log(`\n== runtime stage (FROM ${stage.image}, Dockerfile:${stage.line})`);
  for (const { keyword, argument, line } of stage.instructions) {
    if (keyword === 'WORKDIR') setWorkdir(image, argument);
    else if (keyword === 'ENV') Object.assign(image.env, parseEnv(argument));
    else if (keyword === 'USER') image.user = argument;
    else if (keyword === 'ENTRYPOINT') image.entrypoint = JSON.parse(argument);
    else if (keyword === 'CMD') image.command = JSON.parse(argument);
    else if (keyword === 'COPY') {
      const { from } = parseCopy(argument);
      const source = from === undefined ? context : built.get(from)?.root;
      if (source === undefined)
        throw new Error(`Dockerfile:${line}: COPY --from=${from} names no earlier stage`);
      copyInto(image, source, parseCopy(argument).sources, argument);
    } else if (keyword === 'RUN') replayFileCommands(image, argument, line);
    else if (!['VOLUME', 'LABEL', 'ARG', 'EXPOSE', 'STOPSIGNAL'].includes(keyword)) {
      throw new Error(
        `Dockerfile:${line}: the replay does not know ${keyword}; teach scripts/replay-dockerfile.ts`,
      );
    }
  }
  return image;
}

/** The runtime stage's RUN needs root: replay what shapes the file tree, skip ownership, refuse the rest. */
function replayFileCommands(image: RuntimeImage, command: string, line: number): void {
  for (const part of command.split('&&')) {
    const [program, ...rest] = splitWords(part);
    const operands = rest.filter((word) => !word.startsWith('-'));
    if (program === 'ln' && rest.some((word) => /^-\w*s/.test(word)) && operands.length === 2) {
      const [target, link] = operands as [string, string];
      mkdirSync(dirname(inside(image.root, link)), { recursive: true });
      symlinkSync(inside(image.root, posix.resolve(image.workdir, target)), inside(image.root, link));
    } else if (program === 'mkdir') {
      for (const folder of operands)
        mkdirSync(inside(image.root, posix.resolve(image.workdir, folder)), { recursive: true });
    } else if (program !== 'chown' && program !== 'chmod') {
      throw new Error(`Dockerfile:${line}: the replay cannot follow \`${part.trim()}\` in the runtime stage`);
    }
  }
}

try {
  main();
} catch (error) {
  console.error(`\nreplay-dockerfile: ${(error as Error).message}`);
  process.exitCode = 1;
}

// The second half of `npm run build`: bundles the compiled CLI (dist/cli/main.js, from tsc) into one
// CommonJS file, dist/bundle/omnize-sync.cjs, which bin/program.js loads, then makes its V8 code
// cache (scripts/code-cache.js). Each run of the CLI is a process of its own: loading ~350 separate
// modules cost it ~150 ms of every start (bench:newman's `start` phase), and compiling the bundle
// ~60 ms more, which the code cache saves. One CommonJS file, as V8's code cache is for a script
// (Node 20 has none for ES modules); the commands loaded on demand (export, sandbox, …) are in it,
// run only when imported.
//
// Only the dependencies named in BUNDLED go in: each reads no file of its own at run time (pino
// would for a transport, a worker thread; the program logs through none), but for better-sqlite3's
// compiled addon, which stays in node_modules and is loaded from the path src/state/sql.ts gives it
// (its JavaScript, ~12 files, cost every run that opens the state store ~3 ms to find and load
// one by one). The rest stay in node_modules, loaded as they are (require()d, so each must be
// CommonJS): the CommonJS ones (exceljs, pg, prom-client, jsonc-parser, iconv-lite, pino-pretty)
// are loaded only by the code that needs them; `bindings`, which better-sqlite3 would look for its
// addon with, from the file that calls it, is never bundled. A dependency added to package.json is
// external until it is named here. Whitespace and syntax are minified (a smaller file parses
// faster); names are kept, so a stack trace still names its functions.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

const BUNDLED = ['yargs', 'zod', 'p-limit', 'pino', 'better-sqlite3'];

const root = new URL('..', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const external = [
  ...Object.keys(manifest.dependencies).filter((name) => !BUNDLED.includes(name)),
  'bindings',
];

// zod's namespace re-exports its messages in ~60 languages (`z.locales`, ~500 KB, parsed by every
// run); the program uses none of them, and English, the default, is loaded on its own (en.js).
const withoutZodLocales = {
  name: 'without-zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/zod/') ? { path: 'zod-locales', namespace: 'without-zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'without-zod-locales' }, () => ({ contents: 'export {};' }));
  },
};

// zod's namespace also carries fromJSONSchema, whose module copies every schema and check export
// into an object as it loads (~2 ms of every start); the program never builds a schema from JSON
// Schema. The bundle gets a stand-in that says so if it is ever called.
const withoutZodFromJsonSchema = {
  name: 'without-zod-from-json-schema',
  setup(build) {
    build.onResolve({ filter: /^\.\/from-json-schema\.js$/ }, (args) =>
      args.importer.includes('/zod/')
        ? { path: 'zod-from-json-schema', namespace: 'without-zod-from-json-schema' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'without-zod-from-json-schema' }, () => ({
      contents:
        "export function fromJSONSchema() { throw new Error('z.fromJSONSchema is left out of the bundle (scripts/bundle.js)'); }",
    }));
  },
};

/**
 * Where an import resolves, in the stand-in's namespace: its onLoad gets the real module's path to
 * require at first use. The stand-in's own require of that path resolves as usual (`real`).
 */
async function standInFor(build, args, namespace) {
  if (args.pluginData?.real === true) return undefined;
  const { resolveDir, kind, importer } = args;
  const real = await build.resolve(args.path, { resolveDir, kind, importer, pluginData: { real: true } });
  if (real.errors.length > 0) return { errors: real.errors };
  return { path: real.path, namespace };
}

// yargs lays out --help and its errors' usage with string-width (through cliui and wrap-ansi, and
// for itself), whose module builds an Intl.Segmenter and Unicode-property regular expressions as it
// loads: ~35 ms of every start, for text that most runs never measure. Each import of it gets a
// stand-in that loads the real module at its first call (esbuild initialises a require()d ES module
// when it is first required).
const stringWidthOnFirstUse = {
  name: 'string-width-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, (args) =>
      standInFor(build, args, 'string-width-on-first-use'),
    );
    build.onLoad({ filter: /.*/, namespace: 'string-width-on-first-use' }, (args) => ({
      contents: `export default function stringWidth(...args) { return require(${JSON.stringify(args.path)}).default(...args); }`,
      resolveDir: dirname(args.path),
    }));
  },
};

// yargs guesses the program's version (at every start, and for --version) from the package.json it
// finds going up from the folder above the last `node_modules` in its own path. From the bundle
// that is the working folder (the bundle's path has none) or the folder holding a global install's
// node_modules: it printed the version of the project the job was run from, or `unknown`, and
// listed every folder up to / (~5–10 ms a start; /tmp here holds thousands of entries). The
// bundle's own package is two folders up from dist/bundle: yargs starts there.
const YARGS_SHIM_START = 'mainFilename: mainFilename || process.cwd(),';
const yargsFindsThisPackage = {
  name: 'yargs-finds-this-package',
  setup(build) {
    build.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(YARGS_SHIM_START))
        throw new Error(`${args.path} no longer holds \`${YARGS_SHIM_START}\`: see yargsFindsThisPackage`);
      const contents = source.replace(
        YARGS_SHIM_START,
        "mainFilename: resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'),",
      );
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

// pino loads its transports' worker-thread stream (thread-stream) and node:worker_threads as it
// loads, and with them node:assert, which yargs and sonic-boom import too: ~4 ms of every start
// compiling Node's own modules, for a worker thread the program never starts (it logs through no
// transport) and assertions only a programming error fails. thread-stream gets a stand-in that
// loads it at its first construction, node:assert one that loads it at a check's first
// failure (scripts/assert-on-first-failure.cjs), and pino's check that it runs on the main
// thread reads node:worker_threads when it is made.
const ASSERT_STAND_IN = new URL('assert-on-first-failure.cjs', import.meta.url).pathname;
const nodeModulesOnFirstUse = {
  name: 'node-modules-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^assert$/ }, () => ({ path: ASSERT_STAND_IN }));
    build.onResolve({ filter: /^thread-stream$/ }, (args) =>
      standInFor(build, args, 'thread-stream-on-first-use'),
    );
    build.onLoad({ filter: /.*/, namespace: 'thread-stream-on-first-use' }, (args) => ({
      contents: `module.exports = function ThreadStream(...args) { return new (require(${JSON.stringify(args.path)}))(...args); };`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
    build.onLoad({ filter: /[\\/]pino[\\/]lib[\\/]tools\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      for (const text of [PINO_MAIN_THREAD_IMPORT, PINO_MAIN_THREAD_CHECK]) {
        if (!source.includes(text))
          throw new Error(`${args.path} no longer holds \`${text}\`: see nodeModulesOnFirstUse`);
      }
      const contents = source
        .replace(PINO_MAIN_THREAD_IMPORT, '')
        .replace(PINO_MAIN_THREAD_CHECK, "if (!opts.sync && require('worker_threads').isMainThread) {");
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};
const PINO_MAIN_THREAD_IMPORT = "const { isMainThread } = require('worker_threads')";
const PINO_MAIN_THREAD_CHECK = 'if (!opts.sync && isMainThread) {';

// An earlier build's files (its chunks, named by content, or its code cache) would stay beside the new one.
rmSync(new URL('dist/bundle', root), { recursive: true, force: true });

await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: { 'omnize-sync': 'dist/cli/main.js' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external,
  // import() becomes require(): a script run by node:vm has no loader for import() (the external
  // dependencies are all CommonJS), and the modules inside the bundle are initialised when imported.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    withoutZodLocales,
    withoutZodFromJsonSchema,
    stringWidthOnFirstUse,
    yargsFindsThisPackage,
    nodeModulesOnFirstUse,
  ],
  minifyWhitespace: true,
  minifySyntax: true,
  // The default, kept here because bin/program.js depends on it: every other character escaped.
  charset: 'ascii',
  logLevel: 'warning',
});

// bin/program.js reads the bundle as Latin-1, the same text only while every byte is ASCII.
const bundled = readFileSync(new URL('dist/bundle/omnize-sync.cjs', root));
const notAscii = bundled.findIndex((byte) => byte > 0x7f);
if (notAscii !== -1)
  throw new Error(`dist/bundle/omnize-sync.cjs holds a byte past ASCII at offset ${notAscii}`);

// A code cache for no flags and one for the flags the image runs the program with (its runtime
// NODE_OPTIONS; the Dockerfile's build stage, into which the Dockerfile is not copied, makes that
// one itself). V8 takes a cache only under the flags it was made with.
const dockerfile = new URL('Dockerfile', root);
const imageOptions = existsSync(dockerfile)
  ? /NODE_OPTIONS="([^"]*)"/.exec(readFileSync(dockerfile, 'utf8'))?.[1]
  : undefined;
for (const nodeOptions of ['', ...(imageOptions === undefined ? [] : [imageOptions])]) {
  execFileSync(process.execPath, [new URL('scripts/code-cache.js', root).pathname], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
}

// Loads the compiled, bundled CLI (dist/bundle/omnize-sync.cjs, built by `npm run build`) with
// the V8 code cache that the build made for it (scripts/code-cache.js): every run is a process
// of its own, and compiling the ~1 MB bundle anew was ~60–80 ms of each. V8 takes a cache only
// from a process with the same flags, so there is one file per set of flags: the build makes the
// one for no flags and the one for the image's NODE_OPTIONS. A cache V8 turns down (another
// Node.js build, a bundle rebuilt since) or that is missing only costs that compile again.
// CommonJS, as the entry is (bin/package.json): an ES module entry costs each start ~10 ms more.
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const BUNDLE = join(__dirname, '../dist/bundle/omnize-sync.cjs');
/** A longer flag list gets no cache: its file name would pass what a file system allows. */
const MAX_FLAGS_IN_NAME = 150;

/**
 * The code cache for the flags this process runs with (its command line's and NODE_OPTIONS'),
 * named by them: `omnize-sync.cjs.cache` without flags, else e.g.
 * `omnize-sync.cjs.max-old-space-size=160.max-semi-space-size=4.cache`. Undefined when the
 * flags cannot make a file name.
 */
function codeCacheFile(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? '') {
  const flags = [...execArgv, ...nodeOptions.split(/\s+/)]
    .filter((flag) => flag !== '')
    .map((flag) => flag.replace(/^-+/, '').replace(/[^A-Za-z0-9=._-]/g, '_'))
    .sort();
  const name = flags.join('.');
  if (name.length > MAX_FLAGS_IN_NAME) return undefined;
  return name === '' ? `${BUNDLE}.cache` : `${BUNDLE}.${name}.cache`;
}

/**
 * The bundle run as a CommonJS module: `main` runs the CLI in this process, `runCli` runs it with
 * the given streams, environment and folder; `script` gives the code cache of what has run so far.
 */
function loadProgram() {
  // The bundle is ASCII (esbuild escapes every other character; scripts/bundle.js checks it): read
  // as Latin-1 it is the same text, without the ~5 ms a cold UTF-8 decode of ~1 MB costs.
  const source = readFileSync(BUNDLE, 'latin1');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData: readCodeCache(codeCacheFile()),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { main: module.exports.main, runCli: module.exports.runCli, script };
}

function readCodeCache(file) {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

module.exports = { BUNDLE, codeCacheFile, loadProgram };

// Loads the compiled, bundled CLI (dist/bundle/omnize-sync.cjs, built by `npm run build`) with
// the V8 code cache that the build made for it (scripts/code-cache.js): every run is a process
// of its own, and compiling the ~1 MB bundle anew was ~60–80 ms of each. A cache V8 turns down
// (another Node.js build, other V8 flags, a bundle rebuilt since) only costs that compile again.
// CommonJS, as the entry is (bin/package.json): an ES module entry costs each start ~10 ms more.
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const BUNDLE = join(__dirname, '../dist/bundle/omnize-sync.cjs');
const CODE_CACHE = `${BUNDLE}.cache`;

/** The bundle run as a CommonJS module; `script` gives the code cache of what has run so far. */
function loadProgram() {
  // The bundle is ASCII (esbuild escapes every other character; scripts/bundle.js checks it): read
  // as Latin-1 it is the same text, without the ~5 ms a cold UTF-8 decode of ~1 MB costs.
  const source = readFileSync(BUNDLE, 'latin1');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData: readCodeCache(),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { main: module.exports.main, script };
}

function readCodeCache() {
  try {
    return readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
}

module.exports = { BUNDLE, CODE_CACHE, loadProgram };

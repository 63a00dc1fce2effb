// What the bundle gives the dependencies that import node:assert (yargs, sonic-boom), for
// scripts/bundle.js: the checks they make at every start, made here, as node:assert makes them
// (its strict equality is Object.is), without compiling node:assert and the modules it loads
// (~2 ms of a start). node:assert is loaded to throw its own error when a check fails, and for
// any other function at its first call. A failing check given no message is worded after the
// stand-in's call rather than the caller's (node:assert quotes the source of the call it got);
// the dependencies' checks all give one.
const real = () => require('node:assert');

function assert(...args) {
  if (args.length === 0 || !args[0]) real()(...args);
}
for (const name of ['equal', 'notEqual', 'deepEqual', 'deepStrictEqual', 'throws', 'fail']) {
  assert[name] = (...args) => real()[name](...args);
}
assert.ok = assert;
assert.strictEqual = (actual, expected, ...rest) => {
  if (!Object.is(actual, expected)) real().strictEqual(actual, expected, ...rest);
};
assert.notStrictEqual = (actual, expected, ...rest) => {
  if (Object.is(actual, expected)) real().notStrictEqual(actual, expected, ...rest);
};

module.exports = assert;

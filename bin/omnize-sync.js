#!/usr/bin/env node
// The package's entry: plain JavaScript that loads the compiled, bundled CLI (built by `npm run build`, run by `prepare`).
const { loadProgram } = require('./program.js');

let program;
try {
  program = loadProgram();
} catch (error) {
  if (error?.code !== 'ENOENT') throw error;
  process.stderr.write(
    `omnize-sync: the compiled program is missing (${error.message}).\nRun \`npm run build\` (npm install and npm ci run it for you).\n`,
  );
  process.exit(1);
}
program.main(process.argv.slice(2));

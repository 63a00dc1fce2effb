// The last step of `npm run build`: the V8 code cache of the bundle (dist/bundle/omnize-sync.cjs.cache),
// which bin/program.js hands V8 at every start. Made after a run of `--version` (which prints the
// version), so it also holds the functions every run compiles to parse its flags. V8 takes a cache
// only from a process with the same flags: run with the NODE_OPTIONS the program will run with (the
// Dockerfile does, for its image's).
import { rmSync, writeFileSync } from 'node:fs';
import { CODE_CACHE, loadProgram } from '../bin/program.js';

rmSync(CODE_CACHE, { force: true });
const program = loadProgram();
await program.main(['--version']);
writeFileSync(CODE_CACHE, program.script.createCachedData());

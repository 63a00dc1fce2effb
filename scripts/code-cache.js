// The last step of `npm run build`: the V8 code cache of the bundle for the flags this process runs
// with (bin/program.js names the file by them: dist/bundle/omnize-sync.cjs.cache without flags),
// which bin/program.js hands V8 at every start under the same flags. Made after a run of
// `--version` (which prints the version), so it also holds the functions every run compiles to
// parse its flags. scripts/bundle.js runs it without flags and with the image's NODE_OPTIONS; run
// it with other NODE_OPTIONS to make the cache for those.
import { rmSync, writeFileSync } from 'node:fs';
import { codeCacheFile, loadProgram } from '../bin/program.js';

const file = codeCacheFile();
if (file === undefined) {
  console.error(
    'code-cache: these flags are too long to name a code cache; the program compiles itself under them',
  );
  process.exit(1);
}
rmSync(file, { force: true });
const program = loadProgram();
await program.main(['--version']);
writeFileSync(file, program.script.createCachedData());

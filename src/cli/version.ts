import { readFileSync } from 'node:fs';

/**
 * The program's version, from its own package.json: two folders up from src/cli, dist/cli and
 * dist/bundle alike. Given to yargs as it is, because yargs' own guess looks for a package.json
 * from the working folder up: it printed the version of whatever project the partner ran the job
 * from (or `unknown`), and listing every folder up to / cost each start 5–10 ms (/tmp here holds
 * thousands of entries).
 */
export function programVersion(packageFile = new URL('../../package.json', import.meta.url)): string {
  try {
    const { version } = JSON.parse(readFileSync(packageFile, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

import { createInterface } from 'node:readline/promises';
import type { CliIO } from '../cli/command.js';
import { UsageError } from '../errors.js';

/**
 * `apply` asks before writing when standard input is a terminal; without one (cron, CI, a
 * container) it refuses unless --yes was given (CONTRACT §2). Checked before anything is read.
 */
export function assertMayApply(io: CliIO, yes: boolean): void {
  if (yes || io.stdin.isTTY === true) return;
  throw new UsageError(
    'standard input is not a terminal, so apply cannot ask for confirmation: add --yes to apply without asking',
  );
}

/** Asks on the terminal; only "yes" or "y" goes ahead. */
export async function confirmOnTerminal(io: CliIO, question: string): Promise<boolean> {
  const prompt = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await prompt.question(`${question} Only "yes" goes ahead: `);
    return /^(y|yes|s|sim)$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

import type { ActionRun } from './action-run.js';

/** What a create ended with: the entity, and whether it was found by a lookup instead of read from an answer. */
export interface CreateResult<T> {
  created: T;
  foundByLookup: boolean;
}

/**
 * Sends a create (agent, department) that the API lets us look up afterwards.
 * A try whose outcome is unknown (a timeout or a dropped connection after
 * sending) is never blindly sent again: the next try first looks the entity up
 * and takes it if it is there. When the retries run out while the last create
 * may have been applied, one final lookup decides between `ok` and the error;
 * a lookup that fails leaves the outcome unknown (`run.mayHaveApplied`).
 */
export async function createWithLookup<T>(
  run: ActionRun,
  send: () => Promise<T>,
  lookup: () => Promise<T | undefined>,
): Promise<CreateResult<T>> {
  try {
    return await run.retrying(async () => {
      if (run.mayHaveApplied) {
        const found = await run.sendRead(lookup);
        if (found !== undefined) return { created: found, foundByLookup: true };
        run.mayHaveApplied = false;
      }
      return { created: await run.sendWrite(send), foundByLookup: false };
    });
  } catch (error) {
    if (!run.mayHaveApplied) throw error;
    let found: T | undefined;
    try {
      found = await run.read(lookup);
    } catch {
      throw error;
    }
    if (found !== undefined) return { created: found, foundByLookup: true };
    run.mayHaveApplied = false;
    throw error;
  }
}

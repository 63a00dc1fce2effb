import { StateStoreWriteError } from './failures.js';
import type { ApplyStateStore } from './types.js';

/**
 * Every state store write of a run goes through here. A store that refuses a
 * write (a full disk, a lock held too long) stops the run: what is sent from
 * then on could not be journalled or remembered, and a new account whose ID is
 * not remembered would be created again by the next run.
 */
export class Recorder {
  constructor(
    readonly store: ApplyStateStore,
    private readonly onFailure: (error: StateStoreWriteError) => void,
  ) {}

  /** Runs `work`; when it rejects, the run stops with `failure: <store's message>` and undefined is returned. */
  async write<T>(failure: string, work: (store: ApplyStateStore) => Promise<T>): Promise<T | undefined> {
    try {
      return await work(this.store);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.onFailure(new StateStoreWriteError(`${failure}: ${reason}`));
      return undefined;
    }
  }
}

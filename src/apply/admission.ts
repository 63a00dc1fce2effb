import type { RequestGate } from '../limits/request-gate.js';

/**
 * Requests handed to the gate and not yet admitted by it. The gate admits in
 * arrival order and takes a rate slot for each request before running it, so
 * one waiting request keeps it busy without loss; more would only have to be
 * let through one by one, each spending a rate slot, once the run has stopped.
 */
export const WAITING_IN_GATE = 1;

/** How many consumed waiters may sit at the front of the queue before it is compacted. */
const COMPACT_AFTER = 1024;

interface Waiter {
  enter(): void;
  reject(error: Error): void;
}

/**
 * A queue in front of the request gate that can be closed: when the run stops,
 * requests still waiting here are refused at once instead of each waiting for
 * a rate slot only to send nothing. It does not limit anything itself: the
 * gate still decides when each request starts.
 */
export class Admission {
  /** Waiters from `head` on; the consumed front is dropped now and then, since `shift()` is linear in a long array. */
  private waiting: Waiter[] = [];
  private head = 0;
  private handedToGate = 0;
  private closedWith: Error | undefined;

  constructor(private readonly gate: RequestGate) {}

  /** Runs `request` when the gate admits it; rejects with the closing error if the queue is closed first. */
  run<T>(request: () => Promise<T>, prepare?: () => void): Promise<T> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        enter: () => {
          this.handedToGate += 1;
          this.gate
            .run(() => {
              this.handedToGate -= 1;
              this.pump();
              return request();
            }, prepare)
            .then(resolve, reject);
        },
        reject,
      });
      this.pump();
    });
  }

  /** Refuses every waiting and later request with `error`. A request already in the gate still runs (and should refuse itself). */
  close(error: Error): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = error;
    const refused = this.waiting.slice(this.head);
    this.waiting = [];
    this.head = 0;
    for (const waiter of refused) waiter.reject(error);
  }

  private pump(): void {
    while (this.closedWith === undefined && this.handedToGate < WAITING_IN_GATE) {
      const next = this.waiting[this.head];
      if (next === undefined) return;
      this.head += 1;
      if (this.head >= COMPACT_AFTER && this.head * 2 >= this.waiting.length) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
      next.enter();
    }
  }
}

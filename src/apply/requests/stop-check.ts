import type { RunControl } from '../control.js';
import type { RunLease } from '../types.js';
import type { Layer } from './pipeline.js';

/**
 * The outermost layer: once the run has stopped, a new request is refused before it is
 * journalled or queued. Requests already waiting are refused by the gate, which the stop
 * closes, and retry waits are cut short by the retry layer's clock. A run holding the lock checks
 * its lease first: one lost (taken over, or not renewed in time) stops the run (`state-store`,
 * through the lease's `onLeaseLost`) before another request leaves.
 */
export function stopCheck(control: RunControl, lease?: RunLease): Layer {
  return async (request, next) => {
    lease?.isLeaseValid();
    control.assertRunning();
    return next(request);
  };
}

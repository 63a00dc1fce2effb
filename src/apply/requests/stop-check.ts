import type { RunControl } from '../control.js';
import type { Layer } from './pipeline.js';

/**
 * The outermost layer: once the run has stopped, a new request is refused before it is
 * journalled or queued. Requests already waiting are refused by the gate, which the stop
 * closes, and retry waits are cut short by the retry layer's clock.
 */
export function stopCheck(control: RunControl): Layer {
  return async (request, next) => {
    control.assertRunning();
    return next(request);
  };
}

import type { RequestGate } from '../../limits/request-gate.js';
import type { Layer } from './pipeline.js';

/**
 * --concurrency and --rate (CONTRACT §6) for every try: the gate sits below the retry layer,
 * so each retry waits its turn again. `beforeStart` (the journal entry) runs once a slot in
 * flight is held and before the start is stamped.
 */
export function gateLayer(gate: RequestGate): Layer {
  return (request, next) => gate.run(() => next(request), request.beforeStart);
}

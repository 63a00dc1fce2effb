import type { Emit } from '../events.js';
import type { Layer } from './pipeline.js';

/**
 * Below the gate, so it sees each try that really leaves: tells the action it belongs to, and
 * emits `requestStarted`, which is what the run's one count of requests is made from.
 */
export function countingLayer(emit: Emit): Layer {
  return async (request, next) => {
    const { kind, owner } = request;
    owner?.sent(kind);
    emit('requestStarted', { kind, action: owner?.action });
    try {
      const value = await next(request);
      owner?.answered(kind, undefined);
      return value;
    } catch (error) {
      owner?.answered(kind, error);
      throw error;
    }
  };
}

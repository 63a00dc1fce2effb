import { InvalidTokenError } from '../../omnize/errors.js';
import type { CircuitBreaker } from '../breaker.js';
import type { RunControl } from '../control.js';
import { isThrottling } from '../failures.js';
import type { Layer } from './pipeline.js';

/**
 * The innermost layer: what an answer means for the whole run, acted on before the answer
 * frees its slot in flight, so nothing else starts first. "Invalid token" stops the run; every
 * answered write counts for the circuit breaker, except HTTP 429, which asks to slow down and
 * says nothing about whether writes work.
 */
export function answersLayer(control: RunControl, breaker: CircuitBreaker): Layer {
  const countWrite = (outcome: 'ok' | 'failed') => {
    if (breaker.record(outcome)) control.stop('circuit-breaker');
  };
  return async (request, next) => {
    try {
      const value = await next(request);
      if (request.kind === 'write') countWrite('ok');
      return value;
    } catch (error) {
      if (error instanceof InvalidTokenError) control.stop('invalid-token', error);
      if (request.kind === 'write' && !isThrottling(error)) countWrite('failed');
      throw error;
    }
  };
}

import type { PlannedAction } from '../../plan/action.js';

/**
 * What a request does to the Partner API. A read changes nothing (a GET, a login token); a
 * write may change something, so it is journalled and the circuit breaker counts it.
 */
export type RequestKind = 'read' | 'write';

/** The action a request belongs to, as the layers see it: what the journal records, and who hears of each try. */
export interface RequestOwner {
  readonly action: PlannedAction;
  /** A try of one of its requests leaves now, past the gate. */
  sent(kind: RequestKind): void;
  /** That try ended; `error` is undefined when it was answered with success. */
  answered(kind: RequestKind, error: unknown): void;
  /** A look-up after a lost answer found the entity, or found that it is not there. */
  lookedUp(found: boolean): void;
}

/** Looks up an entity whose create may have been applied; undefined when it is not there. */
export type LookUp<T> = () => Promise<T | undefined>;

/**
 * What a try whose outcome is unknown (a timeout after sending) leads to. `send-again`: the
 * write is the same however often it lands (an update). `give-up`: it is never sent again (an
 * account create, which cannot be looked up). `{lookUp}`: the next try first looks the entity
 * up and takes it if it is there (agent and department creates).
 */
export type IfOutcomeUnknown<T> = 'send-again' | 'give-up' | { lookUp: LookUp<T> };

/**
 * One request on its way to the Partner API. The layers decide whether, when and how often
 * `send` is called; `send` itself is the raw client call, exactly one HTTP request.
 */
export interface PartnerRequest<T> {
  kind: RequestKind;
  /** The planned action it is part of; a live read or a login link has none. */
  owner?: RequestOwner;
  send(): Promise<T>;
  /** `send-again` when absent. */
  ifOutcomeUnknown?: IfOutcomeUnknown<T>;
  /**
   * Set by the journal layer for the gate: runs once the request holds a slot in flight and
   * before its start is stamped, so a disk write cannot make it leave later than counted.
   * The request waits for it (the journal's group commit) before it may start.
   */
  beforeStart?: () => void | Promise<void>;
}

/** Sends a request through the layers below, or through the whole pipeline. */
export type Send = <T>(request: PartnerRequest<T>) => Promise<T>;

/** One layer: does its part and hands the request on to `next`, the layers below it (octokit's request hooks). */
export type Layer = <T>(request: PartnerRequest<T>, next: Send) => Promise<T>;

/** Stacks the layers, the first one outermost, around each request's own `send`. */
export function composeLayers(layers: readonly Layer[]): Send {
  let next: Send = (request) => request.send();
  for (const layer of [...layers].reverse()) {
    const below = next;
    next = (request) => layer(request, below);
  }
  return next;
}

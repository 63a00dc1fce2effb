import { InternalError } from '../../errors.js';
import type { PlannedAction } from '../../plan/action.js';
import type { Settled } from '../outcome.js';
import type { Recorder } from '../recorder.js';
import type { Layer } from './pipeline.js';

/**
 * The write journal of a run (CONTRACT §6): an action's entry is made durable before its first
 * write leaves, so a run killed mid-request leaves an entry the next run finds (see
 * recovery.ts), and it is settled with the action's outcome. Reads pass through.
 */
export class WriteJournal {
  /** Entry IDs by action ID, for the actions that sent a write and are not settled yet. */
  private readonly entries = new Map<string, number>();

  /** `recorder` is undefined for a run that may not write (plan, login-links): a write then is a bug. */
  constructor(
    private readonly recorder: Recorder | undefined,
    private readonly runId: string,
  ) {}

  readonly layer: Layer = (request, next) => {
    if (request.kind !== 'write') return next(request);
    const { owner } = request;
    if (owner === undefined || this.recorder === undefined) {
      return Promise.reject(new InternalError('a write was sent with no journal to record it'));
    }
    return next({ ...request, beforeStart: () => this.begin(owner.action) });
  };

  /** Settles an action's entry, if it sent a write. The first settlement wins, so a late one does no harm. */
  settle(actionId: string, settled: Settled): void {
    const entry = this.entries.get(actionId);
    if (entry === undefined || this.recorder === undefined) return;
    this.entries.delete(actionId);
    const outcome = settled.status === 'ok' || settled.status === 'unknown' ? settled.status : 'failed';
    const remoteId = settled.status === 'ok' ? settled.remoteId : undefined;
    const error =
      'error' in settled ? settled.error?.message : 'because' in settled ? settled.because : undefined;
    this.recorder.write(`the journal entry of ${actionId} could not be settled`, (store) =>
      store.journalSettle(entry, { outcome, remoteId, error }),
    );
  }

  /** A store that refuses stops the run, which closes the gate: nothing is sent unjournalled. */
  private begin(action: PlannedAction): void {
    if (this.entries.has(action.id)) return;
    const entry = this.recorder?.write(`the journal could not record ${action.id}`, (store) =>
      store.journalBegin({
        runId: this.runId,
        actionId: action.id,
        kind: action.kind,
        accountKey: action.account,
        target: action.target,
        // Params hold no secret: passwords appear only as where to take them from.
        request: { params: action.params },
      }),
    );
    if (entry !== undefined) this.entries.set(action.id, entry);
  }
}

import { randomBytes } from 'node:crypto';
import { InternalError } from '../errors.js';
import type { OmnizeId } from '../model/vocabulary.js';
import { sha256Hex } from '../omnize/password.js';
import type { IdRef, PlannedAction } from '../plan/action.js';
import type { PasswordLookup } from '../plan/passwords.js';
import type { LaggingRecord } from '../state/backend.js';
import { GENERATED_PASSWORD_MARK } from '../state/fingerprint.js';
import type { RunContext } from './context.js';
import { mayHaveApplied } from './failures.js';
import type { RequestHistory } from './outcome.js';
import type { Recorder } from './recorder.js';
import type { References } from './references.js';
import type { IfOutcomeUnknown, RequestKind, RequestOwner } from './requests/pipeline.js';
import { nowOf } from './timers.js';
import type { ActionOutcome, ApplyStateStore } from './types.js';

/** Random bytes of a generated password: 192 bits, far beyond guessing; sent as the digest of its base64url text. */
export const GENERATED_PASSWORD_BYTES = 24;

/** A manifest password ready to send: its digest for the request, its fingerprint for the state store. */
export interface PreparedPassword {
  sha256: string;
  fingerprint: string;
}

/**
 * One action while it runs: what its executor works with. Its requests go through the run's
 * pipeline (`write`, `read`), which reports each try back here, so the action knows what it
 * sent (`attempts`), what may have landed and what is still in flight when the run is cut off.
 */
export class ActionRun<Action extends PlannedAction = PlannedAction> implements RequestOwner, RequestHistory {
  attempts = 0;
  /** Requests of this action being answered right now. */
  inFlight = 0;
  mayHaveApplied = false;
  lastError: unknown = undefined;
  /** A create whose answer was lost was found by a look-up. */
  foundByLookup = false;
  private startedAt: number | undefined;

  constructor(
    readonly action: Action,
    readonly context: RunContext,
    private readonly references: References,
    private readonly passwords: PasswordLookup,
  ) {}

  /** One write of this action, with retries; see `IfOutcomeUnknown` for a try whose outcome is unknown. */
  write<T>(send: () => Promise<T>, ifOutcomeUnknown?: IfOutcomeUnknown<T>): Promise<T> {
    return this.context.send({ kind: 'write', owner: this, send, ifOutcomeUnknown });
  }

  read<T>(send: () => Promise<T>): Promise<T> {
    return this.context.send({ kind: 'read', owner: this, send });
  }

  /** The ID a reference stands for; its action is `ok` (it is a dependency). */
  resolve(ref: IdRef): OmnizeId {
    return this.references.resolve(ref);
  }

  outcomeOf(actionId: string): ActionOutcome | undefined {
    return this.references.outcomeOf(actionId);
  }

  /** The Omnize ID of the account the action belongs to, when it can be known. */
  accountId(): Promise<OmnizeId | undefined> {
    return this.references.accountIdOf(this.action.account);
  }

  /**
   * The manifest's password of the action, prepared; the plain text is dropped here. Undefined
   * when it is not in the manifest at hand (a saved plan applied with a different manifest).
   */
  manifestPassword(): PreparedPassword | undefined {
    const plain = this.passwords(this.action);
    if (plain === undefined) return undefined;
    return { sha256: sha256Hex(plain), fingerprint: this.recorder().store.fingerprint(plain) };
  }

  /**
   * A random password for an agent created without one (CONTRACT §3): only its digest leaves
   * here, for the request, and nothing of it is recorded: in its fingerprint's place the store
   * keeps GENERATED_PASSWORD_MARK, which tells a later plan that this tool gave the agent a
   * password, so a manifest password added afterwards is sent (plan/agents.ts `passwordDecision`).
   */
  generatedPassword(): PreparedPassword {
    const plain = randomBytes(GENERATED_PASSWORD_BYTES).toString('base64url');
    return { sha256: sha256Hex(plain), fingerprint: GENERATED_PASSWORD_MARK };
  }

  /** A state store write; when the store refuses, the run stops with `failure: <why>` and undefined is returned. */
  record<T>(failure: string, work: (store: ApplyStateStore) => Promise<T>): Promise<T | undefined> {
    return this.recorder().write(failure, work);
  }

  /**
   * A state store write that may lag (see `JournalBatch.later`): only for what the next plan reads
   * and can make up for when it is lost, never for what this run reads back or what cannot be
   * looked up again (an account's new ID).
   */
  recordLater(record: LaggingRecord): void {
    this.context.journal.recordLater(record);
  }

  sent(kind: RequestKind): void {
    if (this.startedAt === undefined) {
      this.startedAt = nowOf(this.context.clock);
      this.context.events.emit('actionStarted', this.action);
    }
    if (kind === 'write') this.attempts += 1;
    this.inFlight += 1;
  }

  answered(kind: RequestKind, error: unknown): void {
    this.inFlight -= 1;
    if (kind !== 'write' || error === undefined) return;
    this.lastError = error;
    if (mayHaveApplied(error)) this.mayHaveApplied = true;
  }

  lookedUp(found: boolean): void {
    if (found) this.foundByLookup = true;
    else this.mayHaveApplied = false;
  }

  durationMs(): number {
    return this.startedAt === undefined ? 0 : nowOf(this.context.clock) - this.startedAt;
  }

  /** `startApply` refuses a context without one, so this is never undefined here. */
  private recorder(): Recorder {
    const { recorder } = this.context;
    if (recorder === undefined) throw new InternalError('apply ran with no state store');
    return recorder;
  }
}

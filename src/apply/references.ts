import { InternalError } from '../errors.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { IdRef, PlannedAction } from '../plan/action.js';
import type { ActionOutcome, ApplyStateStore } from './types.js';

/** `#123`: the label of an account the manifest names only by its Omnize ID. */
const ID_LABEL = /^#(\d+)$/;

/**
 * Turns the plan's ID references into Omnize IDs from the outcomes of the
 * actions they name, and tells which Omnize account an action's account label
 * stands for (agent updates carry only the agent's ID).
 */
export class References {
  private readonly knownAccountIds = new Map<string, OmnizeId>();
  private readonly accountCreates = new Map<string, string>();
  /** What the store answered per label: an account's ID does not change during a run. */
  private readonly recorded = new Map<string, Promise<OmnizeId | undefined>>();

  constructor(
    actions: readonly PlannedAction[],
    private readonly outcomes: ReadonlyMap<string, ActionOutcome>,
    private readonly store: Pick<ApplyStateStore, 'getAccount'>,
  ) {
    for (const action of actions) {
      if (action.kind === 'account.create') this.accountCreates.set(action.account, action.id);
      else if ('accountId' in action.params && typeof action.params.accountId === 'number') {
        this.knownAccountIds.set(action.account, action.params.accountId);
      }
    }
  }

  /** The ID a reference stands for; only called once the action it names is `ok` (it is a dependency). */
  resolve(ref: IdRef): OmnizeId {
    if (typeof ref === 'number') return ref;
    const outcome = this.outcomes.get(ref.fromAction);
    if (outcome?.status !== 'ok' || outcome.remoteId === undefined) {
      throw new InternalError(`${ref.fromAction} gave no Omnize ID to the actions that need it`);
    }
    return outcome.remoteId;
  }

  outcomeOf(actionId: string): ActionOutcome | undefined {
    return this.outcomes.get(actionId);
  }

  /** The Omnize ID of the account an action belongs to, when it can be known. */
  async accountIdOf(label: string): Promise<OmnizeId | undefined> {
    const known = this.knownAccountIds.get(label);
    if (known !== undefined) return known;
    const createId = this.accountCreates.get(label);
    const created = createId === undefined ? undefined : this.outcomes.get(createId);
    if (created?.status === 'ok' && created.remoteId !== undefined) return created.remoteId;
    const byId = ID_LABEL.exec(label);
    if (byId?.[1] !== undefined) return Number(byId[1]);
    let recorded = this.recorded.get(label);
    if (recorded === undefined) {
      recorded = this.store.getAccount(label).then(
        (account) => account?.accountId ?? undefined,
        // Only a record is lost: the next plan sends the same values again.
        () => undefined,
      );
      this.recorded.set(label, recorded);
    }
    return recorded;
  }
}

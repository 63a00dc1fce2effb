import type { PlannedAction } from './action.js';
import type { Confirmed } from './confirm.js';
import type { PasswordToRecord } from './passwords.js';
import type { Notice } from './types.js';

type DistributiveOmit<T, Key extends PropertyKey> = T extends unknown ? Omit<T, Key> : never;

/** A planned action before it has its ID. */
export type ActionDraft = DistributiveOmit<PlannedAction, 'id'>;

/**
 * Collects actions and notices while the plan is made, in the order they are
 * added (the plan's order), and gives every action a unique, deterministic ID.
 * Internal to the planner.
 */
export class PlanBuilder {
  readonly actions: PlannedAction[] = [];
  readonly notices: Notice[] = [];
  readonly passwordsToRecord: PasswordToRecord[] = [];
  /** Accounts, departments and agents looked at: the base of the guard's percentage. */
  inScope = 0;
  /**
   * Set only for an apply (CONTRACT §14): the managed values that already match, collected where
   * the planner compares them. A plan leaves it undefined and does no work for it.
   */
  readonly confirmed: Confirmed | undefined;
  /** False when only `confirmed` is wanted (`apply --plan FILE` runs the saved plan's actions). */
  private readonly keepsActions: boolean;
  private readonly usedIds = new Set<string>();

  constructor(options: { confirmed?: Confirmed; keepsActions?: boolean } = {}) {
    this.confirmed = options.confirmed;
    this.keepsActions = options.keepsActions ?? true;
  }

  /**
   * Adds an action and returns its ID, `kind:account:identity`. The identity is a
   * lower-cased name or e-mail, so the ID survives case changes in the manifest;
   * should two entities share one (duplicate names on the remote side), the later
   * gets `#2`, `#3`… in plan order, which is deterministic.
   */
  add(draft: ActionDraft, identity: string): string {
    const base = `${draft.kind}:${draft.account}:${identity}`;
    // Only a kept action's ID must be unique: the others name dependencies nothing runs.
    if (!this.keepsActions) return base;
    let id = base;
    for (let suffix = 2; this.usedIds.has(id); suffix += 1) id = `${base}#${suffix}`;
    this.usedIds.add(id);
    // The ID is set on the draft rather than spread into a copy: drafts have eighteen shapes, and copying
    // them one by one was a third of the benchmark's planning time.
    const action = draft as PlannedAction;
    action.id = id;
    this.actions.push(action);
    return id;
  }

  notice(notice: Notice): void {
    if (this.keepsActions) this.notices.push(notice);
  }
}

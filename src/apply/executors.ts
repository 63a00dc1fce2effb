import type { ActionKind, ActionOf } from '../plan/action.js';
import { accountExecutors } from './accounts.js';
import type { ActionRun } from './action-run.js';
import { agentExecutors } from './agents.js';
import { departmentExecutors } from './departments.js';
import { membershipExecutors } from './membership.js';
import type { Settled } from './outcome.js';

/** Runs one action of kind `K` whose dependencies succeeded, through its `run`; may throw (see `execute`). */
export type Executor<K extends ActionKind = ActionKind> = (run: ActionRun<ActionOf<K>>) => Promise<Settled>;

/** One executor per kind of action: a `Record<ActionKind, Executor>` whose entries know their kind. */
export type Executors = { [K in ActionKind]: Executor<K> };

/** Every kind of action of CONTRACT §5 and what runs it; the compiler checks none is missing. */
export const EXECUTORS: Executors = {
  ...accountExecutors,
  ...departmentExecutors,
  ...membershipExecutors,
  ...agentExecutors,
};

/** The executor of an action's kind. */
export function executorOf(kind: ActionKind): Executor {
  // Each entry takes the run of its own kind; the action's kind picks the entry, so the widening is safe.
  return EXECUTORS[kind] as Executor;
}

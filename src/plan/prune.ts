import type { Desired } from '../model/desired.js';
import type { Remembered } from '../model/remembered.js';
import { MANIFEST_KINDS, type ManifestKind } from '../model/vocabulary.js';
import type { PlanBuilder } from './builder.js';

/** Which kinds `--prune` may retire in this run. */
export type PruneScope = Record<ManifestKind, boolean>;

const NO_PRUNE: PruneScope = { accounts: false, departments: false, agents: false };

/**
 * Decides what `--prune` may touch, with a notice for every reason it is held back:
 * - an empty manifest (no rows at all) never prunes: an empty export must not
 *   deactivate everything;
 * - a manifest that lost a sheet the state store saw before never prunes: a
 *   lost sheet looks exactly like "delete everything of that kind";
 * - a kind the manifest has no sheet for (and never had) is not pruned: like a
 *   missing column, a missing sheet means "not managed".
 */
export function decidePrune(
  desired: Desired,
  remembered: Remembered,
  prune: boolean,
  builder: PlanBuilder,
): PruneScope {
  if (!prune) return NO_PRUNE;
  const rows = desired.accounts.length + desired.departments.length + desired.agents.length;
  if (rows === 0) {
    builder.notice({
      kind: 'prune-disabled',
      message:
        '--prune is ignored: the manifest has no rows, and an empty manifest never deactivates anything',
    });
    return NO_PRUNE;
  }
  const lost = MANIFEST_KINDS.filter((kind) => remembered.kindsSeen[kind] && !desired.kindsPresent[kind]);
  if (lost.length > 0) {
    builder.notice({
      kind: 'prune-disabled',
      message: `--prune is ignored: the manifest has no ${lost.join(' or ')} sheet, which earlier runs had; a lost sheet never deactivates anything`,
    });
    return NO_PRUNE;
  }
  const scope = { ...NO_PRUNE };
  for (const kind of MANIFEST_KINDS) {
    scope[kind] = desired.kindsPresent[kind];
    if (!scope[kind]) {
      builder.notice({
        kind: 'prune-kind-skipped',
        message: `--prune leaves ${kind} alone: the manifest has no ${kind} sheet`,
      });
    }
  }
  return scope;
}

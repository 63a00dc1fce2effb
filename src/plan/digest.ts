import { createHash } from 'node:crypto';
import type { Observed } from '../model/observed.js';

/**
 * A SHA-256 digest of the live state, independent of the order the API listed
 * things in, for a saved plan to be checked against (CONTRACT §5: `apply --plan`
 * refuses a plan whose live state has changed). Not a secret and not reversible;
 * not meant to detect anything the Observed value does not hold.
 */
export function digestObserved(observed: Observed): string {
  const hash = createHash('sha256');
  const byId = <T extends { id: number }>(items: readonly T[]) => [...items].sort((a, b) => a.id - b.id);
  for (const accountId of [...observed.accounts.keys()].sort((a, b) => a - b)) {
    const contents = observed.accounts.get(accountId)!;
    hash.update(`account ${accountId}\n`);
    for (const agent of byId(contents.agents)) {
      const fields = [agent.id, agent.accountId, agent.email, agent.name, agent.profile, agent.active];
      hash.update(`agent ${JSON.stringify(fields)}\n`);
    }
    for (const department of byId(contents.departments)) {
      const fields = [
        department.id,
        department.accountId,
        department.name,
        department.description,
        department.active,
        [...department.channels].sort(),
        [...department.agentIds].sort((a, b) => a - b),
      ];
      hash.update(`department ${JSON.stringify(fields)}\n`);
    }
  }
  return hash.digest('hex');
}

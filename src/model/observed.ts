import type { Channel, OmnizeId, Profile } from './vocabulary.js';

/**
 * The live state read through the Partner API's GET endpoints, already mapped
 * out of the API's Portuguese (`ativo`, `administrator`) by the client.
 * Accounts cannot be read: an account appears here only as the key of what was read for it.
 */
export interface Observed {
  /** What was read for each account in scope, by Omnize account ID. */
  accounts: Map<OmnizeId, ObservedAccountContents>;
}

export interface ObservedAccountContents {
  agents: ObservedAgent[];
  departments: ObservedDepartment[];
}

export interface ObservedAgent {
  id: OmnizeId;
  accountId: OmnizeId;
  email: string;
  name: string;
  profile: Profile;
  active: boolean;
}

export interface ObservedDepartment {
  id: OmnizeId;
  accountId: OmnizeId;
  name: string;
  description: string;
  active: boolean;
  channels: Channel[];
  /** IDs of the agents in the department. */
  agentIds: OmnizeId[];
}

import type { SourceLocation } from '../model/source.js';
import type { Channel, OmnizeId, Profile } from '../model/vocabulary.js';

/** The eighteen kinds of action of CONTRACT §5, one per write request shape of the Partner API. */
export const ACTION_KINDS = [
  'account.create',
  'account.update',
  'account.activate',
  'account.deactivate',
  'account.delete',
  'account.set_licenses',
  'account.set_license_code',
  'department.create',
  'department.update',
  'department.activate',
  'department.deactivate',
  'department.add_channels',
  'department.remove_channels',
  'department.add_agents',
  'department.remove_agents',
  'agent.create',
  'agent.update',
  'agent.set_profile',
] as const;

/** One kind of planned write. Not a request path: apply maps each kind to its request. */
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * An Omnize ID as the plan knows it: a number when the entity exists, or the ID of
 * the create action (in the same plan) whose result will be the entity. Apply
 * resolves references from the outcomes of the actions they name; a reference is
 * never sent to the API as it is.
 */
export type IdRef = OmnizeId | { fromAction: string };

/** Why an action was chosen. Shown to people and kept in reports; never branched on by apply. */
export type Reason =
  | 'missing-remote'
  | 'field-changed'
  | 'password-changed'
  | 'membership-changed'
  | 'marked-active'
  | 'marked-inactive'
  | 'marked-deleted'
  | 'absent-from-manifest'
  | 'adopted';

/**
 * Where a planned change comes from (CONTRACT §14), decided per changed field against the value
 * apply last made of it (Remembered): `manifest` — the manifest's value differs from it; `drift` —
 * the manifest still says it, so the live value was changed outside omnize-sync; `new` — nothing
 * is recorded. An action's cause is `drift` when every field it changes is, else `manifest` when
 * any is, else `new` (see `actionCause`). Shown to people and kept in reports; never branched on.
 */
export type Cause = 'manifest' | 'drift' | 'new';

/**
 * Field values shown in `before`/`after`: only the fields the action changes,
 * `null` where the earlier value is unknown (an adopted account). Never a secret:
 * a password change shows as the marker `'(changed)'`. For display and reports
 * only — apply builds requests from `params`, not from these.
 */
export type FieldValues = Record<string, string | number | boolean | string[] | null>;

/**
 * Where apply takes a password from. The plan never holds a password or a digest:
 * `from-manifest` means "look the plain text up in the Desired this plan was made
 * from" (see `passwordLookup`), `generated` means "make a random one at apply time
 * and write it nowhere", `none` means "send no password".
 */
export type PasswordSource = 'from-manifest' | 'generated' | 'none';

/** `POST /accounts`. The account is created active; status and license code follow as their own actions. */
export interface AccountCreateParams {
  email: string;
  mainContact: string;
  phone?: string;
  url?: string;
  licenseQuantity: number;
  password: 'from-manifest' | 'none';
}

/** `PUT /accounts/:id {account:{…}}`: every account field the manifest manages, changed or not. */
export interface AccountUpdateParams {
  accountId: IdRef;
  email: string;
  mainContact: string;
  phone?: string;
  url?: string;
}

/** `PUT /accounts/:id {account:{ativo}}` for (de)activation, or `DELETE /accounts/:id`. */
export interface AccountTargetParams {
  accountId: IdRef;
}

/** `PUT /accounts/:id {license_quantity}`. */
export interface AccountLicensesParams {
  accountId: IdRef;
  licenseQuantity: number;
}

/** `PUT /accounts/:id {license_code}`. */
export interface AccountLicenseCodeParams {
  accountId: IdRef;
  licenseCode: string;
}

/** `POST /departments`, channels included in the body (CONTRACT §5: no separate add_channels for a new department). */
export interface DepartmentCreateParams {
  accountId: IdRef;
  name: string;
  /** `''` when the manifest does not manage descriptions. */
  description: string;
  active: boolean;
  channels: Channel[];
}

/**
 * `PUT /departments/:id {department:{name,description,ativo}}`, used by update,
 * activate and deactivate. The request needs all three fields, so values the
 * manifest does not manage are the observed ones.
 */
export interface DepartmentWriteParams {
  departmentId: IdRef;
  name: string;
  description: string;
  active: boolean;
}

/** `POST /departments/:id/add_channels` or `/remove_channels`. */
export interface DepartmentChannelsParams {
  departmentId: IdRef;
  channels: Channel[];
}

/** One agent of a membership batch: who (for people and reports) and which ID (for the request). */
export interface MemberRef {
  /** The agent's e-mail, or `#ID` for a member the account's agent list does not show. */
  label: string;
  agentId: IdRef;
  reason: Reason;
  /** This membership's own cause; the batch's is `actionCause` of its members'. */
  cause: Cause;
  /** The agent's manifest row, when the manifest declares the agent. */
  source?: SourceLocation;
}

/**
 * `POST /departments/:id/add_agents` or `/remove_agents`: one batch per department
 * per run. Very large batches are chunked by apply, not here.
 */
export interface DepartmentMembersParams {
  departmentId: IdRef;
  agents: MemberRef[];
}

/** `POST /agents`. The profile is sent in the create body, so a new agent needs no set_profile. */
export interface AgentCreateParams {
  accountId: IdRef;
  email: string;
  name: string;
  profile: Profile;
  textLimit?: number;
  password: 'from-manifest' | 'generated';
}

/** `PUT /agents/:id`: always e-mail and name (the API rejects an update without them), plus what the manifest manages. */
export interface AgentUpdateParams {
  agentId: IdRef;
  email: string;
  name: string;
  textLimit?: number;
  /** Present only when the manifest's password differs from the one last applied. */
  password?: 'from-manifest';
}

/** `PUT /agents/:id/profile`. */
export interface AgentProfileParams {
  agentId: IdRef;
  profile: Profile;
}

interface ParamsByKind {
  'account.create': AccountCreateParams;
  'account.update': AccountUpdateParams;
  'account.activate': AccountTargetParams;
  'account.deactivate': AccountTargetParams;
  'account.delete': AccountTargetParams;
  'account.set_licenses': AccountLicensesParams;
  'account.set_license_code': AccountLicenseCodeParams;
  'department.create': DepartmentCreateParams;
  'department.update': DepartmentWriteParams;
  'department.activate': DepartmentWriteParams;
  'department.deactivate': DepartmentWriteParams;
  'department.add_channels': DepartmentChannelsParams;
  'department.remove_channels': DepartmentChannelsParams;
  'department.add_agents': DepartmentMembersParams;
  'department.remove_agents': DepartmentMembersParams;
  'agent.create': AgentCreateParams;
  'agent.update': AgentUpdateParams;
  'agent.set_profile': AgentProfileParams;
}

/** The request parameters of one kind of action. */
export type ParamsOf<K extends ActionKind> = ParamsByKind[K];

/** What every action carries besides its parameters. */
export interface ActionCommon {
  /** Stable and deterministic, e.g. `agent.create:acme:ana@acme.com`; other actions name it in `dependsOn` and `fromAction`. */
  id: string;
  /** The account's manifest key, or `#ID` for an account the manifest names only by Omnize ID. */
  account: string;
  /** What a person calls the entity: the account key, the department name, the agent's e-mail. */
  target: string;
  before: FieldValues;
  after: FieldValues;
  reason: Reason;
  cause: Cause;
  /** IDs of actions that must succeed first; a failed one makes this one `skipped`. */
  dependsOn: string[];
  /** The manifest row that caused the action; absent for what the manifest omits (prune). */
  source?: SourceLocation;
  /** Set when the action must not run in this run: apply skips it and reports why. */
  requires?: 'allow-delete';
}

/**
 * One planned write, discriminated by `kind` so apply can build each request from
 * `params` without re-deriving anything. A value: it holds no secret and no
 * function, and survives `JSON.stringify` (a saved plan). Not a record of what
 * happened: outcomes are apply's.
 */
export type PlannedAction = {
  [K in ActionKind]: ActionCommon & { kind: K; params: ParamsOf<K> };
}[ActionKind];

/** The action of one given kind. */
export type ActionOf<K extends ActionKind> = Extract<PlannedAction, { kind: K }>;

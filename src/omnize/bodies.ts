import { InternalError } from '../errors.js';
import type { OmnizeId } from '../model/vocabulary.js';
import { isSha256Hex } from './password.js';
import type {
  AccountChanges,
  AgentChanges,
  DepartmentChanges,
  NewAccount,
  NewAgent,
  NewDepartment,
} from './types.js';

/**
 * Request bodies in the document's words (`telefone`, `ativo: 1|0`,
 * `main_contact`), built from the program's English types. The token is
 * added by the transport. Keys whose value is undefined are left out of the
 * JSON (JSON.stringify drops them), so only the fields given are sent.
 */

/** `POST /agents`: `{profile?, agent: {email, name, password, text_limit?, account_id}}`. */
export function agentCreateBody(agent: NewAgent): Record<string, unknown> {
  return {
    profile: agent.profile,
    agent: {
      email: agent.email,
      name: agent.name,
      password: requireDigest(agent.passwordSha256),
      text_limit: agent.textLimit,
      account_id: requireId(agent.accountId),
    },
  };
}

/** `PUT /agents/:id`: `{agent: {email, name, text_limit?, password?}}`. */
export function agentUpdateBody(changes: AgentChanges): Record<string, unknown> {
  return {
    agent: {
      email: changes.email,
      name: changes.name,
      text_limit: changes.textLimit,
      password: changes.passwordSha256 === undefined ? undefined : requireDigest(changes.passwordSha256),
    },
  };
}

/** `POST /accounts`: `{license_quantity, password?, account: {email, main_contact, telefone?, url?}}`. */
export function accountCreateBody(account: NewAccount): Record<string, unknown> {
  return {
    license_quantity: account.licenseQuantity,
    password: account.passwordSha256 === undefined ? undefined : requireDigest(account.passwordSha256),
    account: {
      email: account.email,
      main_contact: account.mainContact,
      telefone: account.phone,
      url: account.url,
    },
  };
}

/** `PUT /accounts/:id`: `{account: {email?, main_contact?, telefone?, url?, ativo?}}`. */
export function accountUpdateBody(changes: AccountChanges): Record<string, unknown> {
  return {
    account: {
      email: changes.email,
      main_contact: changes.mainContact,
      telefone: changes.phone,
      url: changes.url,
      ativo: changes.active === undefined ? undefined : activeFlag(changes.active),
    },
  };
}

/** `POST /departments`: `{department: {account_id, name, description, ativo, channels}}`. */
export function departmentCreateBody(department: NewDepartment): Record<string, unknown> {
  return {
    department: {
      account_id: requireId(department.accountId),
      name: department.name,
      description: department.description,
      ativo: activeFlag(department.active),
      channels: department.channels,
    },
  };
}

/** `PUT /departments/:id`: `{department: {name, description, ativo}}`. */
export function departmentUpdateBody(changes: DepartmentChanges): Record<string, unknown> {
  return {
    department: { name: changes.name, description: changes.description, ativo: activeFlag(changes.active) },
  };
}

/** `ativo` is 1 or 0 on the wire. */
export function activeFlag(active: boolean): 0 | 1 {
  return active ? 1 : 0;
}

/** A wrong ID would address another object (or `/agents/NaN`): a bug in the caller, not an API failure. */
export function requireId(id: OmnizeId): OmnizeId {
  if (!Number.isSafeInteger(id) || id <= 0) throw new InternalError(`not an Omnize ID: ${String(id)}`);
  return id;
}

/** Catches a plain-text password passed where its digest belongs; the value itself is not shown. */
function requireDigest(passwordSha256: string): string {
  if (!isSha256Hex(passwordSha256)) {
    throw new InternalError(
      'a password must be passed as its SHA-256 hex digest (sha256Hex), not as plain text',
    );
  }
  return passwordSha256;
}

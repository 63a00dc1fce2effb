/**
 * The objects the sandbox answers with, shaped like the document's examples
 * (Ruby's `nil` as null). Agent objects carry no `text_limit` and never a
 * password digest (`password: null`, as in the document).
 */

import type { SandboxAccount, SandboxAgent } from './data.js';
import type { DepartmentRecord, SandboxStore } from './store.js';

/** What a handler decided: the server wraps it in the document's envelope. */
export type Answer = { ok: true; data?: unknown; message?: string } | { ok: false; error: string };

/** What a handler gets: the store, the path's `:id`, the JSON body (an object, maybe empty) and the query. */
export interface HandlerRequest {
  store: SandboxStore;
  id: string | undefined;
  body: Record<string, unknown>;
  query: URLSearchParams;
  /** The document's timestamp format, for `date_creation`/`change_date`. */
  now: string;
}

export type Handler = (request: HandlerRequest) => Answer;

export function success(data?: unknown): Answer {
  return data === undefined ? { ok: true } : { ok: true, data };
}

export function failure(error: string): Answer {
  return { ok: false, error };
}

/** `{status:200, success:true, data}` or `{status:200, success:false, errors}` — always with HTTP 200. */
export function envelope(answer: Answer): Record<string, unknown> {
  if (!answer.ok) return { status: 200, success: false, errors: answer.error };
  const body: Record<string, unknown> = { status: 200, success: true };
  if (answer.data !== undefined) body.data = answer.data;
  if (answer.message !== undefined) body.message = answer.message;
  return body;
}

export function agentObject(agent: SandboxAgent): Record<string, unknown> {
  return {
    id: agent.id,
    name: agent.name,
    password: null,
    administrator: agent.administrator,
    email: agent.email,
    ativo: agent.ativo,
    photo: null,
    subscriber_id: null,
    account_id: agent.account_id,
    date_creation: agent.date_creation,
    change_date: agent.change_date,
    user_creation: null,
    user_change: null,
    version_register: 0,
    register_mobile_id: null,
    photo_expired_date: null,
    bucket_conf: null,
  };
}

/** The document's account object; fields the sandbox does not model are null or the example's constants. */
export function accountObject(account: SandboxAccount): Record<string, unknown> {
  return {
    id: account.id,
    name: null,
    razao_social: null,
    inscricao_estadual: null,
    cpfcnpj: null,
    endereco: null,
    bairro: null,
    cidade: null,
    estado: null,
    telefone: account.telefone,
    telefone1: null,
    email: account.email,
    main_contact: account.main_contact,
    iugu_id: null,
    validate_hash: true,
    subscriber_id: null,
    domain_id: account.id,
    ativo: account.ativo,
    version_register: 0,
    user_creation: null,
    date_creation: account.date_creation,
    user_change: null,
    change_date: account.change_date,
    cep: null,
    user_last_access: null,
    date_last_access: null,
    region_id: 36,
    segment_id: 1,
    url: account.url,
    whatsapp: null,
    token: null,
    partner_id: 1,
    facelift: true,
  };
}

/** The document shows no department object; this one carries what the client needs, channels excluded (they have their own endpoint). */
export function departmentObject(department: DepartmentRecord): Record<string, unknown> {
  return {
    id: department.id,
    account_id: department.account_id,
    name: department.name,
    description: department.description,
    ativo: department.ativo,
    date_creation: department.date_creation,
    change_date: department.change_date,
    user_creation: null,
    user_change: null,
    version_register: 0,
  };
}

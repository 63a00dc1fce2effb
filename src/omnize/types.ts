import type { Logger } from '../log/logger.js';
import type { Channel, OmnizeId, Profile } from '../model/vocabulary.js';
import type { RequestRecord } from './transport.js';

/** How to reach the Partner API. The token is secret: it is sent, never logged. */
export interface OmnizeClientOptions {
  /** e.g. `http://partner.omnize.com/api/v1`; endpoint paths are appended to it. */
  baseUrl: string;
  /** The "Url login" endpoint, which lives apart from the base URL. */
  authUrl: string;
  token: string;
  /** Per request, from sending to the last byte of the answer. */
  timeoutMs: number;
  /** Requests are logged at debug level; the plain-http warning at warn. Silent when absent. */
  logger?: Logger;
  /** When given, every request goes through this fetch instead of node:http (a test's stand-in for the network). */
  fetch?: typeof fetch;
  /** Called once per HTTP request with its secret-free record, e.g. to count requests for a report. */
  onRequest?: (record: RequestRecord) => void;
}

/** A new agent. `passwordSha256` is the SHA-256 hex digest (see `sha256Hex`), never the plain text. */
export interface NewAgent {
  accountId: OmnizeId;
  email: string;
  name: string;
  passwordSha256: string;
  /** Omitted from the body when undefined: the API then creates an AGENT. */
  profile?: Profile;
  textLimit?: number;
}

/** The body of an agent update: `email` and `name` always (the API refuses a blank e-mail), the rest if set. */
export interface AgentChanges {
  email: string;
  name: string;
  textLimit?: number;
  passwordSha256?: string;
}

/** A new account. `phone` is sent as `telefone`. */
export interface NewAccount {
  licenseQuantity: number;
  passwordSha256?: string;
  email: string;
  mainContact: string;
  phone?: string;
  url?: string;
}

/** Only the fields given are sent; `active` is sent as `ativo: 1|0`. */
export interface AccountChanges {
  email?: string;
  mainContact?: string;
  phone?: string;
  url?: string;
  active?: boolean;
}

export interface NewDepartment {
  accountId: OmnizeId;
  name: string;
  description: string;
  active: boolean;
  /** Sent in the create body, so a new department needs no `add_channels` call. */
  channels: Channel[];
}

/** The document's update body always carries all three fields. */
export interface DepartmentChanges {
  name: string;
  description: string;
  active: boolean;
}

/**
 * A department as `GET /departments` and `POST /departments` give it: without
 * its channels and members, which take one request each
 * (`listDepartmentChannels`, `listDepartmentAgents`). The live reader joins
 * the three into an `ObservedDepartment`; do not pass a `RemoteDepartment`
 * where channels or members are compared.
 */
export interface RemoteDepartment {
  id: OmnizeId;
  accountId: OmnizeId;
  name: string;
  description: string;
  active: boolean;
}

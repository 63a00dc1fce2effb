import { UsageError } from '../errors.js';
import { type Logger, silentLogger } from '../log/logger.js';
import { registerSecret } from '../log/redact.js';
import type { ObservedAgent } from '../model/observed.js';
import type { Channel, OmnizeId, Profile } from '../model/vocabulary.js';
import {
  accountCreateBody,
  accountUpdateBody,
  agentCreateBody,
  agentUpdateBody,
  departmentCreateBody,
  departmentUpdateBody,
  requireId,
} from './bodies.js';
import { dataOf, loginTokenOf } from './envelope.js';
import type { KeepItem } from './list-answer.js';
import {
  agentListReading,
  keepMemberId,
  readAgent,
  readChannels,
  readCreated,
  readDepartment,
  readId,
  readList,
  readMemberIds,
} from './mapping.js';
import { type HttpMethod, type JsonAnswer, Transport } from './transport.js';
import type {
  AccountChanges,
  AgentChanges,
  DepartmentChanges,
  NewAccount,
  NewAgent,
  NewDepartment,
  OmnizeClientOptions,
  RemoteDepartment,
} from './types.js';

/**
 * A typed client for every endpoint of the Partner API document. Each method
 * sends exactly one HTTP request, with a timeout, and either returns the
 * answer mapped into the program's English vocabulary or throws one of the
 * errors of errors.ts. There is no retry and no rate limit here: the
 * executor wraps each call with both, using `isTransient`, `outcomeUnknown`
 * and `retryAfterMs`.
 *
 * Bodies follow the document to the letter: the token is added in the body of
 * POST/PUT/DELETE and in the query of GET, passwords are SHA-256 hex digests,
 * agent IDs in `agents:[…]` are strings. Keys whose value is undefined are
 * left out of the body (JSON.stringify drops them).
 */
export class OmnizeClient {
  private readonly transport: Transport;
  private readonly baseUrl: string;
  private readonly authUrl: URL;
  private readonly logger: Logger;

  constructor(options: OmnizeClientOptions) {
    if (!(options.timeoutMs > 0)) throw new UsageError('the request timeout must be above 0 ms');
    this.baseUrl = parseUrl(options.baseUrl, 'base URL').href.replace(/\/+$/, '');
    this.authUrl = parseUrl(options.authUrl, 'auth URL');
    this.logger = options.logger ?? silentLogger;
    registerSecret(options.token);
    this.transport = new Transport({
      token: options.token,
      timeoutMs: options.timeoutMs,
      logger: this.logger,
      fetch: options.fetch,
      onRequest: options.onRequest,
    });
  }

  /** `POST /agents`. The answer's agent is returned; fields it lacks are taken from the request. */
  async createAgent(agent: NewAgent): Promise<ObservedAgent> {
    return this.write('POST', '/agents', agentCreateBody(agent), (data, answer) =>
      readAgent(readCreated(data, answer), agent, answer),
    );
  }

  /** `PUT /agents/:id` with `email` and `name` always, `text_limit` and `password` when given. */
  async updateAgent(agentId: OmnizeId, changes: AgentChanges): Promise<void> {
    await this.write('PUT', `/agents/${requireId(agentId)}`, agentUpdateBody(changes), ignore);
  }

  /** `PUT /agents/:id/profile`. */
  async updateAgentProfile(agentId: OmnizeId, profile: Profile): Promise<void> {
    await this.write('PUT', `/agents/${requireId(agentId)}/profile`, { profile }, ignore);
  }

  /** `GET /agents?account_id=`: every agent of the account, active or not (read as it arrives). */
  async listAgents(accountId: OmnizeId): Promise<ObservedAgent[]> {
    const reading = agentListReading({ accountId });
    const map: AnswerMapper<ObservedAgent[]> = (data, answer) => reading.read(data, answer);
    return this.read('/agents', { account_id: String(requireId(accountId)) }, map, reading.keep);
  }

  /** `POST /accounts`; only the new account's ID is kept from the answer. */
  async createAccount(account: NewAccount): Promise<{ id: OmnizeId }> {
    return this.write('POST', '/accounts', accountCreateBody(account), (data, answer) => ({
      id: readId(readCreated(data, answer).id, answer, 'id'),
    }));
  }

  /** `PUT /accounts/:id` with the given fields only. */
  async updateAccount(accountId: OmnizeId, changes: AccountChanges): Promise<void> {
    await this.putAccount(accountId, accountUpdateBody(changes));
  }

  /** `PUT /accounts/:id` `{account: {ativo: 1}}` (the document's "Active Account"). */
  async activateAccount(accountId: OmnizeId): Promise<void> {
    await this.putAccount(accountId, { account: { ativo: 1 } });
  }

  /** `PUT /accounts/:id` `{account: {ativo: 0}}` (the document's "Inactive Account"). */
  async deactivateAccount(accountId: OmnizeId): Promise<void> {
    await this.putAccount(accountId, { account: { ativo: 0 } });
  }

  /** `DELETE /accounts/:id` with the token in a JSON body. */
  async deleteAccount(accountId: OmnizeId): Promise<void> {
    await this.write('DELETE', `/accounts/${requireId(accountId)}`, {}, ignore);
  }

  /** `PUT /accounts/:id` `{license_quantity}`. */
  async setLicenseQuantity(accountId: OmnizeId, licenseQuantity: number): Promise<void> {
    await this.putAccount(accountId, { license_quantity: licenseQuantity });
  }

  /** `PUT /accounts/:id` `{license_code}`. */
  async setLicenseCode(accountId: OmnizeId, licenseCode: string): Promise<void> {
    await this.putAccount(accountId, { license_code: licenseCode });
  }

  private async putAccount(accountId: OmnizeId, body: Record<string, unknown>): Promise<void> {
    await this.write('PUT', `/accounts/${requireId(accountId)}`, body, ignore);
  }

  /** `POST /departments`, channels included. The answer's `data` may be `[createdObject]` or the object. */
  async createDepartment(department: NewDepartment): Promise<RemoteDepartment> {
    return this.write('POST', '/departments', departmentCreateBody(department), (data, answer) =>
      readDepartment(readCreated(data, answer), department, answer),
    );
  }

  /** `PUT /departments/:id` with name, description and `ativo`. */
  async updateDepartment(departmentId: OmnizeId, changes: DepartmentChanges): Promise<void> {
    const path = `/departments/${requireId(departmentId)}`;
    await this.write('PUT', path, departmentUpdateBody(changes), ignore);
  }

  /** `GET /departments?account_id=`: departments without channels and members (see `RemoteDepartment`). */
  async listDepartments(accountId: OmnizeId): Promise<RemoteDepartment[]> {
    return this.read('/departments', { account_id: String(requireId(accountId)) }, (data, answer) =>
      readList(data, answer).map((raw) => readDepartment(raw, { accountId }, answer)),
    );
  }

  /** `GET /departments/:id/channels`. Names outside chat/video/audio are left out, with a warning. */
  async listDepartmentChannels(departmentId: OmnizeId): Promise<Channel[]> {
    return this.read(`/departments/${requireId(departmentId)}/channels`, {}, (data, answer) => {
      const { channels, unknown } = readChannels(readList(data, answer));
      if (unknown.length > 0) {
        this.logger.warn(
          { departmentId, unknown },
          'the department has channels omnize-sync does not manage',
        );
      }
      return channels;
    });
  }

  /** `GET /departments/:id/agents`: the IDs of the department's agents (the answer's whole agents are not kept). */
  async listDepartmentAgents(departmentId: OmnizeId): Promise<OmnizeId[]> {
    const path = `/departments/${requireId(departmentId)}/agents`;
    const map: AnswerMapper<OmnizeId[]> = (data, answer) => readMemberIds(readList(data, answer), answer);
    return this.read(path, {}, map, keepMemberId);
  }

  /** `POST /departments/:id/add_agents` `{agents: ["123", …]}`: the IDs go as strings, as documented. */
  async addAgentsToDepartment(departmentId: OmnizeId, agentIds: OmnizeId[]): Promise<void> {
    await this.membership(departmentId, 'add_agents', {
      agents: agentIds.map((id) => String(requireId(id))),
    });
  }

  /** `POST /departments/:id/remove_agents` `{agents: ["123", …]}`. */
  async removeAgentsFromDepartment(departmentId: OmnizeId, agentIds: OmnizeId[]): Promise<void> {
    await this.membership(departmentId, 'remove_agents', {
      agents: agentIds.map((id) => String(requireId(id))),
    });
  }

  /** `POST /departments/:id/add_channels` `{channels: [...]}`. */
  async addChannelsToDepartment(departmentId: OmnizeId, channels: Channel[]): Promise<void> {
    await this.membership(departmentId, 'add_channels', { channels });
  }

  /** `POST /departments/:id/remove_channels` `{channels: [...]}`. */
  async removeChannelsFromDepartment(departmentId: OmnizeId, channels: Channel[]): Promise<void> {
    await this.membership(departmentId, 'remove_channels', { channels });
  }

  private async membership(
    departmentId: OmnizeId,
    call: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    await this.write('POST', `/departments/${requireId(departmentId)}/${call}`, body, ignore);
  }

  /**
   * The "Url login" call: a JWT that logs the agent in (see `loginLink`).
   * Secret like the token: hand it to the agent only, never log it.
   */
  async requestLoginToken(agentEmail: string): Promise<string> {
    const request = {
      method: 'POST' as const,
      url: new URL(this.authUrl),
      body: { action: 'loginPartner', username: agentEmail },
      tokenIn: 'body' as const,
    };
    return this.transport.exchange(request, loginTokenOf);
  }

  private write<T>(method: HttpMethod, path: string, body: Record<string, unknown>, map: AnswerMapper<T>) {
    const request = { method, url: new URL(`${this.baseUrl}${path}`), body, tokenIn: 'body' as const };
    return this.transport.exchange(request, (answer) => map(dataOf(answer), answer));
  }

  /** A GET; with `keepItem`, a list answer read as it arrives (see `OutgoingRequest.keepItem`). */
  private read<T>(path: string, query: Record<string, string>, map: AnswerMapper<T>, keepItem?: KeepItem) {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value);
    const request = { method: 'GET' as const, url, tokenIn: 'query' as const, ...(keepItem && { keepItem }) };
    return this.transport.exchange(request, (answer) => map(dataOf(answer), answer));
  }
}

/** Turns the `data` of a successful answer into the method's result. */
type AnswerMapper<T> = (data: unknown, answer: JsonAnswer) => T;

const ignore: AnswerMapper<void> = () => undefined;

function parseUrl(value: string, what: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new UsageError(`the Partner API ${what} is not a URL: ${value}`);
  }
}

import type { ObservedAgent } from '../model/observed.js';
import { CHANNELS, type Channel, type OmnizeId, type Profile } from '../model/vocabulary.js';
import { isRecord } from './envelope.js';
import { ApiProtocolError } from './errors.js';
import type { RemoteDepartment } from './types.js';

/**
 * The API's objects, mapped out of its Portuguese at this edge: `ativo` →
 * `active`, `administrator: "SIM"/"NAO"` → `profile`, `telefone` → `phone`.
 * The document shows one example per object, so missing and extra fields are
 * tolerated where a safe default exists; a field the program cannot do
 * without (an ID, an agent's e-mail) or a value it cannot read is an
 * `ApiProtocolError`.
 */

/** Where a value came from, for the error raised when it cannot be read. */
export interface AnswerContext {
  endpoint: string;
  httpStatus: number;
}

function unreadable(context: AnswerContext, problem: string): ApiProtocolError {
  return new ApiProtocolError(context.endpoint, context.httpStatus, problem);
}

/** IDs come as numbers in objects and as strings in `agents:[…]`; inside the program they are numbers. */
export function readId(value: unknown, context: AnswerContext, field: string): OmnizeId {
  const id = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return id;
  throw unreadable(context, `"${field}" is not an ID`);
}

const TRUE_WORDS = new Set(['1', 'true', 'sim', 's', 'yes']);
const FALSE_WORDS = new Set(['0', 'false', 'nao', 'não', 'n', 'no']);

/** `ativo` is 1/0 in the document; "1"/"0", booleans and sim/não are read as well. Absent: `fallback`. */
export function readActive(value: unknown, fallback: boolean, context: AnswerContext): boolean {
  if (value === undefined || value === null) return fallback;
  // The document's own values first, read as the words below would read them, without a new string
  // per agent (100,000 in a large account list).
  if (value === 1 || value === true) return true;
  if (value === 0 || value === false) return false;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw unreadable(context, `"ativo" is neither 1 nor 0`);
}

/** `administrator: "SIM"` is an admin, `"NAO"` a plain agent; a `profile` field, if the API sends one, wins. */
export function readProfile(
  raw: Record<string, unknown>,
  fallback: Profile,
  context: AnswerContext,
): Profile {
  if (raw.profile === 'ADMIN' || raw.profile === 'AGENT') return raw.profile;
  if (raw.administrator === undefined || raw.administrator === null) return fallback;
  if (raw.administrator === 'NAO') return 'AGENT';
  if (raw.administrator === 'SIM') return 'ADMIN';
  const word = String(raw.administrator).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return 'ADMIN';
  if (FALSE_WORDS.has(word)) return 'AGENT';
  throw unreadable(context, '"administrator" is neither SIM nor NAO');
}

function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Defaults for fields an answer may leave out: what the request itself said. */
export interface AgentDefaults {
  accountId: OmnizeId;
  email?: string;
  name?: string;
  profile?: Profile;
}

/**
 * What an agents list answer keeps of each item: every field `readAgent` reads (keep the two in
 * step), so it reads the kept item exactly as the whole one; the API sends 18 fields per agent
 * (photo, dates, versions). One shape for every item, an absent field kept as undefined, which
 * readAgent reads alike: building it costs a third of copying the present fields one by one.
 */
export function keepAgentFields(item: unknown): unknown {
  if (!isRecord(item)) return item;
  const { id, account_id, email, name, profile, administrator, ativo } = item;
  return { id, account_id, email, name, profile, administrator, ativo };
}

/**
 * How an agents list answer is read: `keep` for each item as it arrives, then `read` of its `data`.
 * One per answer: it counts what arrived, so it must not be reused for another (a retry included).
 */
export interface AgentListReading {
  keep(item: unknown): unknown;
  read(data: unknown, context: AnswerContext): ObservedAgent[];
}

/** Errors of an agent mapped as it arrives are dropped: `read` raises them with the answer's context. */
const ON_ARRIVAL: AnswerContext = { endpoint: 'GET /agents', httpStatus: 200 };

/**
 * Reads an agents list answer as it arrives: each agent is mapped as soon as it is parsed, so only
 * the mapped agent is held (not the API's object nor a copy of its fields). `read` gives what
 * `readList(data).map(readAgent)` gives of the whole answer, errors included: when an item could
 * not be mapped it was kept as it came (`keepAgentFields`), and every item is read again, in list
 * order; a mapped agent, read again, reads as valid, so the first error is the one it would be.
 */
export function agentListReading(defaults: AgentDefaults): AgentListReading {
  let arrived = 0;
  let unreadable = false;
  return {
    keep(item) {
      arrived += 1;
      try {
        return readAgent(item, defaults, ON_ARRIVAL);
      } catch (error) {
        if (!(error instanceof ApiProtocolError)) throw error;
        unreadable = true;
        return keepAgentFields(item);
      }
    },
    read(data, context) {
      const items = readList(data, context);
      // Nothing arrived item by item (an answer read whole) or an item was unreadable: read them all.
      if (arrived === 0 || unreadable) return items.map((raw) => readAgent(raw, defaults, context));
      // Every item of `data` and of a list in it was mapped; a list itself is not an agent.
      return items.map((raw) =>
        Array.isArray(raw) ? readAgent(raw, defaults, context) : (raw as ObservedAgent),
      );
    },
  };
}

export function readAgent(raw: unknown, defaults: AgentDefaults, context: AnswerContext): ObservedAgent {
  if (!isRecord(raw)) throw unreadable(context, 'an agent is not an object');
  const email = readText(raw.email) ?? defaults.email;
  if (email === undefined || email.trim() === '') throw unreadable(context, 'an agent has no e-mail');
  return {
    id: readId(raw.id, context, 'id'),
    accountId:
      raw.account_id === undefined ? defaults.accountId : readId(raw.account_id, context, 'account_id'),
    email,
    name: readText(raw.name) ?? defaults.name ?? '',
    profile: readProfile(raw, defaults.profile ?? 'AGENT', context),
    // Agents cannot be deactivated through the API; one without `ativo` is taken as active.
    active: readActive(raw.ativo, true, context),
  };
}

export interface DepartmentDefaults {
  accountId: OmnizeId;
  name?: string;
  description?: string;
  active?: boolean;
}

export function readDepartment(
  raw: unknown,
  defaults: DepartmentDefaults,
  context: AnswerContext,
): RemoteDepartment {
  if (!isRecord(raw)) throw unreadable(context, 'a department is not an object');
  return {
    id: readId(raw.id, context, 'id'),
    accountId:
      raw.account_id === undefined ? defaults.accountId : readId(raw.account_id, context, 'account_id'),
    name: readText(raw.name) ?? defaults.name ?? '',
    description: readText(raw.description) ?? defaults.description ?? '',
    active: readActive(raw.ativo, defaults.active ?? true, context),
  };
}

/**
 * A list answer: `data` is the list. The document writes it `[listOfAgents]`,
 * so a list wrapped in a one-element list is unwrapped too; no data is an
 * empty list.
 */
export function readList(data: unknown, context: AnswerContext): unknown[] {
  if (data === undefined || data === null) return [];
  if (!Array.isArray(data)) throw unreadable(context, '"data" is not a list');
  if (data.length === 1 && Array.isArray(data[0])) return data[0];
  return data;
}

/** A create answer: `data` is the object, or a one-element list holding it (`[createdObject]`). */
export function readCreated(data: unknown, context: AnswerContext): Record<string, unknown> {
  const created = Array.isArray(data) && data.length === 1 ? data[0] : data;
  if (!isRecord(created)) throw unreadable(context, '"data" does not hold the created object');
  return created;
}

const CHANNEL_FIELDS = ['name', 'channel', 'type'] as const;

function asChannel(value: unknown): Channel | undefined {
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  return (CHANNELS as readonly string[]).includes(word) ? (word as Channel) : undefined;
}

/** The channels a list holds, and the names it held that are not channels of the vocabulary. */
export interface ChannelReading {
  channels: Channel[];
  unknown: string[];
}

/** `listOfChannels` items are plain strings or objects naming the channel in `name`, `channel` or `type`. */
export function readChannels(items: unknown[]): ChannelReading {
  const channels = new Set<Channel>();
  const unknown: string[] = [];
  for (const item of items) {
    const fields = isRecord(item) ? CHANNEL_FIELDS.map((field) => item[field]) : [item];
    const channel = fields.map(asChannel).find((found) => found !== undefined);
    if (channel !== undefined) channels.add(channel);
    else unknown.push(fields.map(readText).find((text) => text !== undefined) ?? JSON.stringify(item));
  }
  return { channels: [...channels], unknown };
}

/**
 * What a department's agents answer keeps of each item: a valid ID bare, which `readMemberIds`
 * reads alike (no object held per member), or else the IDs it reads of an object item.
 */
export function keepMemberId(item: unknown): unknown {
  if (!isRecord(item)) return item;
  const id = item.agent_id === undefined ? item.id : item.agent_id;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return id;
  return { id: item.id, agent_id: item.agent_id };
}

/** `listOfAgents` of a department: agent objects (`agent_id` before `id`, for join rows), or bare IDs. */
export function readMemberIds(items: unknown[], context: AnswerContext): OmnizeId[] {
  const ids = items.map((item) => {
    if (!isRecord(item)) return readId(item, context, 'agent');
    return item.agent_id === undefined
      ? readId(item.id, context, 'id')
      : readId(item.agent_id, context, 'agent_id');
  });
  return [...new Set(ids)];
}

import { emailKey, nameKey } from '../model/vocabulary.js';
import type { SandboxAccount, SandboxAgent, SandboxData, SandboxDepartment } from './data.js';
import { isRecord, readChannels, readId, readWholeNumber, SHA256_HEX } from './input.js';

/** A data set that cannot be loaded; the message lists every problem found, one per line. */
export class SandboxDataError extends Error {
  override name = 'SandboxDataError';
}

type Problems = string[];

/**
 * Checks a data set (from a file or a test) and fills the defaults, so the
 * sandbox starts from data the real server could hold: unique ids per kind,
 * unique agent e-mails, department names unique within their account, and
 * every reference pointing at an object of the same account. Collects every
 * problem, then throws one SandboxDataError naming `where`.
 */
export function normalizeSandboxData(input: unknown, where: string, now: string): SandboxData {
  const problems: Problems = [];
  if (!isRecord(input)) throw new SandboxDataError(`${where}: must be a JSON object`);
  const accounts = list(input, 'accounts', problems).map((item, index) =>
    account(item, `accounts[${index}]`, now, problems),
  );
  const agents = list(input, 'agents', problems).map((item, index) =>
    agent(item, `agents[${index}]`, now, problems),
  );
  const departments = list(input, 'departments', problems).map((item, index) =>
    department(item, `departments[${index}]`, now, problems),
  );
  const data: SandboxData = { accounts, agents, departments };
  checkReferences(data, problems);
  if (problems.length > 0) {
    throw new SandboxDataError(`${where}: not a valid sandbox data set:\n  ${problems.join('\n  ')}`);
  }
  return data;
}

function list(input: Record<string, unknown>, key: string, problems: Problems): Record<string, unknown>[] {
  const value = input[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${key}: must be a list`);
    return [];
  }
  return value.map((item, index) => {
    if (isRecord(item)) return item;
    problems.push(`${key}[${index}]: must be an object`);
    return {};
  });
}

function account(item: Record<string, unknown>, at: string, now: string, problems: Problems): SandboxAccount {
  return {
    id: id(item, 'id', at, problems),
    email: text(item, 'email', at, problems),
    main_contact: text(item, 'main_contact', at, problems),
    telefone: optionalText(item, 'telefone', at, problems),
    url: optionalText(item, 'url', at, problems),
    license_quantity: wholeNumber(item, 'license_quantity', at, problems) ?? 0,
    license_code: optionalText(item, 'license_code', at, problems),
    ativo: ativo(item, at, problems),
    deleted: flag(item, 'deleted', at, problems),
    password_sha256: digest(item, at, problems),
    date_creation: timestamp(item, 'date_creation', now),
    change_date: timestamp(item, 'change_date', now),
  };
}

function agent(item: Record<string, unknown>, at: string, now: string, problems: Problems): SandboxAgent {
  const administrator = item.administrator ?? 'NAO';
  if (administrator !== 'SIM' && administrator !== 'NAO')
    problems.push(`${at}.administrator: must be SIM or NAO`);
  return {
    id: id(item, 'id', at, problems),
    account_id: id(item, 'account_id', at, problems),
    email: text(item, 'email', at, problems),
    name: text(item, 'name', at, problems),
    administrator: administrator === 'SIM' ? 'SIM' : 'NAO',
    ativo: ativo(item, at, problems),
    text_limit: wholeNumber(item, 'text_limit', at, problems) ?? null,
    password_sha256: digest(item, at, problems),
    date_creation: timestamp(item, 'date_creation', now),
    change_date: timestamp(item, 'change_date', now),
  };
}

function department(
  item: Record<string, unknown>,
  at: string,
  now: string,
  problems: Problems,
): SandboxDepartment {
  const channels = item.channels === undefined ? [] : readChannels(item.channels);
  if (channels === undefined) problems.push(`${at}.channels: must be a list of chat, video, audio`);
  const agentIds = item.agent_ids === undefined ? [] : item.agent_ids;
  const validIds = Array.isArray(agentIds) && agentIds.every((value) => readId(value) !== undefined);
  if (!validIds) problems.push(`${at}.agent_ids: must be a list of agent ids`);
  return {
    id: id(item, 'id', at, problems),
    account_id: id(item, 'account_id', at, problems),
    name: text(item, 'name', at, problems),
    description: optionalText(item, 'description', at, problems) ?? '',
    ativo: ativo(item, at, problems),
    channels: channels ?? [],
    agent_ids: validIds ? [...new Set((agentIds as unknown[]).map((value) => readId(value)!))] : [],
    date_creation: timestamp(item, 'date_creation', now),
    change_date: timestamp(item, 'change_date', now),
  };
}

function checkReferences(data: SandboxData, problems: Problems): void {
  unique(data.accounts, (item) => String(item.id), 'account id', problems);
  unique(data.agents, (item) => String(item.id), 'agent id', problems);
  unique(data.departments, (item) => String(item.id), 'department id', problems);
  unique(data.agents, (item) => emailKey(item.email), 'agent e-mail', problems);
  unique(data.departments, (item) => `${item.account_id} ${nameKey(item.name)}`, 'department name', problems);
  const accountIds = new Set(data.accounts.map((item) => item.id));
  const agentAccount = new Map(data.agents.map((item) => [item.id, item.account_id]));
  for (const item of [...data.agents, ...data.departments]) {
    if (!accountIds.has(item.account_id))
      problems.push(`account ${item.account_id} (of ${item.id}) is not listed`);
  }
  for (const item of data.departments) {
    for (const agentId of item.agent_ids) {
      if (agentAccount.get(agentId) !== item.account_id) {
        problems.push(
          `department ${item.id}: agent ${agentId} is not an agent of account ${item.account_id}`,
        );
      }
    }
  }
}

function unique<T>(items: T[], key: (item: T) => string, label: string, problems: Problems): void {
  const seen = new Set<string>();
  for (const item of items) {
    const value = key(item);
    if (seen.has(value)) problems.push(`duplicate ${label}: ${value}`);
    seen.add(value);
  }
}

function id(item: Record<string, unknown>, key: string, at: string, problems: Problems): number {
  const value = typeof item[key] === 'number' ? readId(item[key]) : undefined;
  if (value === undefined) problems.push(`${at}.${key}: must be a whole number ≥ 1`);
  return value ?? 0;
}

function text(item: Record<string, unknown>, key: string, at: string, problems: Problems): string {
  const value = item[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.push(`${at}.${key}: must be a non-blank string`);
  return '';
}

function optionalText(item: Record<string, unknown>, key: string, at: string, problems: Problems) {
  const value = item[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  problems.push(`${at}.${key}: must be a string or null`);
  return null;
}

function wholeNumber(item: Record<string, unknown>, key: string, at: string, problems: Problems) {
  const value = item[key];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'number' ? readWholeNumber(value) : undefined;
  if (number === undefined) problems.push(`${at}.${key}: must be a whole number ≥ 0`);
  return number;
}

function ativo(item: Record<string, unknown>, at: string, problems: Problems): 0 | 1 {
  const value = item.ativo ?? 1;
  if (value !== 0 && value !== 1) problems.push(`${at}.ativo: must be 0 or 1`);
  return value === 0 ? 0 : 1;
}

function flag(item: Record<string, unknown>, key: string, at: string, problems: Problems): boolean {
  const value = item[key] ?? false;
  if (typeof value !== 'boolean') problems.push(`${at}.${key}: must be true or false`);
  return value === true;
}

function digest(item: Record<string, unknown>, at: string, problems: Problems): string | null {
  const value = item.password_sha256 ?? null;
  if (value === null) return null;
  // The message names the field only: the value is a secret.
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
    problems.push(`${at}.password_sha256: must be 64 lower-case hex characters or null`);
    return null;
  }
  return value;
}

function timestamp(item: Record<string, unknown>, key: string, now: string): string {
  const value = item[key];
  return typeof value === 'string' && value !== '' ? value : now;
}

import { FIELDS, type Field } from '../manifest/headers.js';
import type { Observed, ObservedAccountContents, ObservedDepartment } from '../model/observed.js';
import type { AppliedAccountValues, Remembered } from '../model/remembered.js';
import { CHANNELS, emailKey, type ManifestKind, nameKey, type OmnizeId } from '../model/vocabulary.js';
import { compareText, type ExportAccount } from './selection.js';

/**
 * The columns of each exported sheet, CONTRACT §3's names in its order. Departments and agents
 * carry both `account` and `account_id`: each row fills one, the key of an account that has an
 * accounts row or the ID of one that has none. There is no password column: passwords cannot be
 * read, and an empty one would mean "generate one" for an agent created from the row.
 */
export const EXPORT_HEADERS: Record<ManifestKind, readonly Field[]> = {
  accounts: withoutPassword(FIELDS.accounts),
  departments: withoutPassword(FIELDS.departments),
  agents: withoutPassword(FIELDS.agents),
};

function withoutPassword(fields: readonly Field[]): readonly Field[] {
  return fields.filter((field) => field !== 'password');
}

/** A cell: text, or a whole number (written as a number in XLSX); `''` is an empty cell, "not managed". */
export type ExportCell = string | number;

/** The rows of each sheet, without the header, cells in the order of `EXPORT_HEADERS`. */
export type ExportTables = Record<ManifestKind, ExportCell[][]>;

/**
 * The separator written between channels and between an agent's departments: one of the three
 * the reader accepts (`;`, `,`, `|`), and the one that needs no quoting in a `;` CSV and is the
 * rarest in a department's name.
 */
export const LIST_SEPARATOR = '|';

/**
 * The live state of the exported accounts as manifest rows that plan to no change against that
 * same live state and state store (CONTRACT §11). Pure.
 *
 * - An account gets an accounts row only when the state store knows the fields a row requires
 *   (e-mail, main contact, license quantity); its optional fields are written where known and
 *   left empty (not managed) where not. Others are named by `account_id` in their rows.
 * - Departments are written by name, agents by e-mail (as a Brazilian reader sorts them), each
 *   department's channels in the vocabulary's order (chat, video, audio), each agent's
 *   departments in the order of the departments sheet: the same live state always gives the
 *   same bytes, whatever order the API listed things in.
 * - `text_limit` only where the state store remembers it (the GET does not return it); empty
 *   otherwise, which leaves the agent's limit as it is.
 */
export function exportTables(
  accounts: readonly ExportAccount[],
  observed: Observed,
  remembered: Remembered,
): ExportTables {
  const textLimits = new Map<string, number>();
  for (const agent of remembered.agents) {
    if (agent.textLimit !== undefined)
      textLimits.set(agentKey(agent.accountId, agent.email), agent.textLimit);
  }
  const tables: ExportTables = { accounts: [], departments: [], agents: [] };
  for (const account of accounts) {
    const row = accountRow(account);
    if (row !== undefined) tables.accounts.push(row);
    // An account with a row is named by its key; one without, by its ID.
    const reference: ExportCell[] = row !== undefined ? [account.key!, ''] : ['', account.accountId];
    const contents = observed.accounts.get(account.accountId) ?? { agents: [], departments: [] };
    writeContents(account.accountId, contents, reference, textLimits, tables);
  }
  return tables;
}

/** The fields an accounts row must have (CONTRACT §3), and without which it would not validate. */
function hasRequiredFields(
  applied: AppliedAccountValues | undefined,
): applied is AppliedAccountValues & { email: string; mainContact: string; licenseQuantity: number } {
  return (
    applied !== undefined &&
    applied.email !== undefined &&
    applied.email !== '' &&
    applied.mainContact !== undefined &&
    applied.mainContact !== '' &&
    applied.licenseQuantity !== undefined
  );
}

function accountRow(account: ExportAccount): ExportCell[] | undefined {
  const { key, applied } = account;
  if (key === undefined || !hasRequiredFields(applied)) return undefined;
  return [
    key,
    account.accountId,
    applied.email,
    applied.mainContact,
    applied.phone ?? '',
    applied.url ?? '',
    applied.licenseQuantity,
    applied.licenseCode ?? '',
    applied.status ?? '',
  ];
}

function writeContents(
  accountId: OmnizeId,
  contents: ObservedAccountContents,
  reference: ExportCell[],
  textLimits: Map<string, number>,
  tables: ExportTables,
): void {
  const departments = [...contents.departments].sort(
    (first, second) => compareText(nameKey(first.name), nameKey(second.name)) || first.id - second.id,
  );
  const departmentsOf = new Map<OmnizeId, string[]>();
  for (const department of departments) {
    tables.departments.push([...reference, ...departmentCells(department)]);
    for (const agentId of new Set(department.agentIds)) {
      const names = departmentsOf.get(agentId);
      if (names === undefined) departmentsOf.set(agentId, [department.name]);
      else names.push(department.name);
    }
  }
  const agents = [...contents.agents].sort(
    (first, second) => compareText(emailKey(first.email), emailKey(second.email)) || first.id - second.id,
  );
  for (const agent of agents) {
    tables.agents.push([
      ...reference,
      agent.email,
      agent.name,
      agent.profile,
      textLimits.get(agentKey(accountId, agent.email)) ?? '',
      (departmentsOf.get(agent.id) ?? []).join(LIST_SEPARATOR),
    ]);
  }
}

function departmentCells(department: ObservedDepartment): ExportCell[] {
  const channels = CHANNELS.filter((channel) => department.channels.includes(channel));
  return [
    department.name,
    department.description,
    department.active ? 'active' : 'inactive',
    channels.join(LIST_SEPARATOR),
  ];
}

/** The state store keys agents by account and lower-cased e-mail. */
function agentKey(accountId: OmnizeId, email: string): string {
  return `${accountId}\u0000${emailKey(email)}`;
}

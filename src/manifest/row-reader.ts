import type { AccountRef, DesiredAccount, DesiredAgent, DesiredDepartment } from '../model/desired.js';
import type { SourceLocation } from '../model/source.js';
import type { Field } from './headers.js';
import type { SharedValues } from './shared-values.js';
import {
  Invalid,
  type Parsed,
  parseAccountStatus,
  parseChannels,
  parseEmail,
  parseEntityStatus,
  parseOmnizeId,
  parseProfile,
  parseWholeNumber,
  splitList,
} from './values.js';

/**
 * What one row declares, per kind: from a row's cells by field (`undefined`: the file has no such
 * column; `''`: an empty cell) to the entity, or the issues of the cells that do not parse, each
 * with its field so the caller can name the column.
 *
 * Plain code rather than a zod schema: every cell is text by construction (the readers give
 * strings), so a schema only checked what cannot fail, and it cost every run ~2 ms to compile
 * and ~5 µs a row to run (a 1,000-row roster's manifest phase, ~16 ms, spent ~8 ms in it).
 * Reading every field in one function, not a parser per field, keeps the garbage per row small:
 * per-field steps once sent it straight to V8's old generation on a 100k-row roster (~70 MB).
 */
export type RowCells = Partial<Record<Field, string>> & { source: SourceLocation; shared: SharedValues };

/** What a row declares. */
export type RowEntity =
  | { kind: 'accounts'; entity: DesiredAccount }
  | { kind: 'departments'; entity: DesiredDepartment; statedAccountId?: number }
  | { kind: 'agents'; entity: DesiredAgent; statedAccountId?: number };

const REQUIRED = 'a value is required';
/** Stands for the account of a row that names none; such a row fails and declares nothing. */
const NO_ACCOUNT: AccountRef = { key: '' };

/** A cell that does not parse: its field and why. */
export interface RowIssue {
  field: Field;
  message: string;
}

/** The entity a row declares, or what is wrong with its cells (never both). */
export type RowReading =
  | { entity: RowEntity; issues?: undefined }
  | { entity?: undefined; issues: RowIssue[] };

const anyText = (value: string): Parsed<string> => value;
function departmentNames(value: string): Parsed<string[]> {
  return splitList(value);
}

/** Reads the fields of one row, adding an issue for each cell that does not parse. */
class FieldReader {
  failed = false;

  readonly issues: RowIssue[] = [];

  constructor(private readonly row: Partial<Record<Field, string>> & { shared: SharedValues }) {}

  /** An empty cell → `undefined` (not managed). */
  optional<T>(field: Field, parse: (text: string) => Parsed<T>): T | undefined {
    const text = this.row[field];
    return text === undefined || text === '' ? undefined : this.parse(field, text, parse);
  }

  required<T>(field: Field, parse: (text: string) => Parsed<T>): T {
    const text = this.row[field];
    if (text === undefined || text === '') this.issue(field, REQUIRED);
    else return this.parse(field, text, parse) as T;
    return undefined as T;
  }

  /** Column absent → `undefined` (not managed); empty cell → `[]` (none). Lists are shared between rows. */
  list<T>(field: Field, parse: (text: string) => Parsed<T[]>): T[] | undefined {
    const text = this.row[field];
    if (text === undefined) return undefined;
    return this.parse(field, text, (cell) => this.row.shared.list(cell, parse));
  }

  /** The account_id a row gave next to its account key, to check it against the accounts sheet. */
  statedAccountId: number | undefined;

  /** `account` wins when both are given; the other is kept in `statedAccountId`. */
  accountReference(): AccountRef {
    const key = this.optional('account', anyText);
    const accountId = this.optional('account_id', parseOmnizeId);
    if (key !== undefined) {
      this.statedAccountId = accountId;
      return this.row.shared.accountByKey(key);
    }
    if (accountId !== undefined) return this.row.shared.accountById(accountId);
    if (!this.failed) this.issue('account', 'an account (key) or account_id is required');
    return NO_ACCOUNT;
  }

  /** The row's reading: the entity, unless a cell did not parse. */
  reading(entity: RowEntity): RowReading {
    return this.failed ? { issues: this.issues } : { entity };
  }

  private parse<T>(field: Field, text: string, parse: (text: string) => Parsed<T>): T | undefined {
    const parsed = parse(text);
    if (!(parsed instanceof Invalid)) return parsed;
    this.issue(field, parsed.message);
    return undefined;
  }

  private issue(field: Field, message: string): void {
    this.failed = true;
    this.issues.push({ field, message });
  }
}

function accountRow(row: RowCells): RowReading {
  const cells = new FieldReader(row);
  const entity: DesiredAccount = {
    key: cells.required('key', anyText),
    accountId: cells.optional('account_id', parseOmnizeId),
    email: cells.required('email', parseEmail),
    mainContact: cells.required('main_contact', anyText),
    phone: cells.optional('telefone', anyText),
    url: cells.optional('url', anyText),
    licenseQuantity: cells.required('license_quantity', parseWholeNumber),
    licenseCode: cells.optional('license_code', anyText),
    status: cells.optional('status', parseAccountStatus),
    password: cells.optional('password', anyText),
    source: row.source,
  };
  return cells.reading({ kind: 'accounts', entity });
}

function departmentRow(row: RowCells): RowReading {
  const cells = new FieldReader(row);
  const entity: DesiredDepartment = {
    account: cells.accountReference(),
    name: cells.required('name', anyText),
    description: cells.optional('description', anyText),
    status: cells.optional('status', parseEntityStatus),
    channels: cells.list('channels', parseChannels),
    source: row.source,
  };
  return cells.reading({ kind: 'departments', entity, statedAccountId: cells.statedAccountId });
}

function agentRow(row: RowCells): RowReading {
  const cells = new FieldReader(row);
  const entity: DesiredAgent = {
    account: cells.accountReference(),
    email: cells.required('email', parseEmail),
    name: cells.required('name', anyText),
    profile: cells.optional('profile', parseProfile),
    textLimit: cells.optional('text_limit', parseWholeNumber),
    departments: cells.list('departments', departmentNames),
    password: cells.optional('password', anyText),
    source: row.source,
  };
  return cells.reading({ kind: 'agents', entity, statedAccountId: cells.statedAccountId });
}

const ROW_READERS = { accounts: accountRow, departments: departmentRow, agents: agentRow };

/** Reads one row of a table of `kind`. */
export function readRow(kind: keyof typeof ROW_READERS, row: RowCells): RowReading {
  return ROW_READERS[kind](row);
}

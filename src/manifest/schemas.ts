import { z } from 'zod';
import type { AccountRef, DesiredAccount, DesiredAgent, DesiredDepartment } from '../model/desired.js';
import type { SourceLocation } from '../model/source.js';
import { FIELDS, type Field } from './headers.js';
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
 * One zod schema per kind, from a row's cells by field (`undefined`: the
 * file has no such column; `''`: an empty cell) to the entity it declares.
 * Issues carry the field as their path, so the caller can name the column.
 *
 * Each schema is a plain object of optional strings with one transform
 * that reads every field, rather than a transform per field: per-field
 * pipes allocate several objects per cell, and on a 100k-row roster V8
 * then moved that garbage straight to the old generation (allocation-site
 * pretenuring), which cost ~70 MB of peak memory.
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

function shape<F extends Field>(fields: readonly F[]) {
  const cells = Object.fromEntries(fields.map((field) => [field, z.string().optional()]));
  return z.object({
    ...(cells as Record<F, z.ZodOptional<z.ZodString>>),
    source: z.custom<SourceLocation>(),
    shared: z.custom<SharedValues>(),
  });
}

const anyText = (value: string): Parsed<string> => value;
function departmentNames(value: string): Parsed<string[]> {
  return splitList(value);
}

/** Reads the fields of one row, adding an issue for each cell that does not parse. */
class FieldReader {
  failed = false;

  constructor(
    private readonly row: Partial<Record<Field, string>> & { shared: SharedValues },
    private readonly context: z.RefinementCtx,
  ) {}

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

  private parse<T>(field: Field, text: string, parse: (text: string) => Parsed<T>): T | undefined {
    const parsed = parse(text);
    if (!(parsed instanceof Invalid)) return parsed;
    this.issue(field, parsed.message);
    return undefined;
  }

  private issue(field: Field, message: string): void {
    this.failed = true;
    this.context.addIssue({ code: 'custom', path: [field], message });
  }
}

const accountRow = shape(FIELDS.accounts).transform((row, context): RowEntity => {
  const cells = new FieldReader(row, context);
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
  return cells.failed ? z.NEVER : { kind: 'accounts', entity };
});

const departmentRow = shape(FIELDS.departments).transform((row, context): RowEntity => {
  const cells = new FieldReader(row, context);
  const entity: DesiredDepartment = {
    account: cells.accountReference(),
    name: cells.required('name', anyText),
    description: cells.optional('description', anyText),
    status: cells.optional('status', parseEntityStatus),
    channels: cells.list('channels', parseChannels),
    source: row.source,
  };
  return cells.failed ? z.NEVER : { kind: 'departments', entity, statedAccountId: cells.statedAccountId };
});

const agentRow = shape(FIELDS.agents).transform((row, context): RowEntity => {
  const cells = new FieldReader(row, context);
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
  return cells.failed ? z.NEVER : { kind: 'agents', entity, statedAccountId: cells.statedAccountId };
});

/**
 * Compiled (zod's generated fast path, with the runtime parser as the
 * fallback that produces the issues): on a 100k-row roster the runtime
 * parser alone took about twice the time, and its per-row allocations were
 * at times moved straight to V8's old generation, adding ~15 MB of peak
 * memory (bench/manifest.ts). Each kind's is compiled when a table of that
 * kind is first read, not as the program starts: compiling the three took
 * ~10 ms of every run, which most manifests (agents alone) do not need.
 */
const COMPILE_ROW_SCHEMA = {
  accounts: () => z.compile(accountRow),
  departments: () => z.compile(departmentRow),
  agents: () => z.compile(agentRow),
};
type RowSchemas = {
  [Kind in keyof typeof COMPILE_ROW_SCHEMA]: ReturnType<(typeof COMPILE_ROW_SCHEMA)[Kind]>;
};
const compiledRowSchemas: Partial<RowSchemas> = {};

export function rowSchemaOf<Kind extends keyof RowSchemas>(kind: Kind): RowSchemas[Kind] {
  compiledRowSchemas[kind] ??= COMPILE_ROW_SCHEMA[kind]() as RowSchemas[Kind];
  return compiledRowSchemas[kind] as RowSchemas[Kind];
}

import type { Desired, DesiredAccount, DesiredAgent, DesiredDepartment } from '../model/desired.js';
import type { SourceLocation } from '../model/source.js';
import { type ManifestKind, nameKey } from '../model/vocabulary.js';
import type { Field } from './headers.js';
import { hideSecrets, type ProblemCollector } from './problems.js';
import type { RowEntity } from './row-reader.js';
import { SharedValues } from './shared-values.js';

/** Where a field's column is in one table: its header as written and its position. */
export interface ColumnPlace {
  header: string;
  index: number;
}

/**
 * Gathers what the rows of every table declare, so the checks across rows
 * (duplicates, references, license counts) can run once all files are read,
 * and remembers each table's columns so those checks can name the cell.
 */
export class DesiredBuilder {
  readonly accounts: DesiredAccount[] = [];
  readonly departments: DesiredDepartment[] = [];
  readonly agents: DesiredAgent[] = [];
  readonly kindsPresent: Record<ManifestKind, boolean> = {
    accounts: false,
    departments: false,
    agents: false,
  };
  /** Kinds some file of which could not be read to the end: references into them are not checked. */
  readonly incompleteKinds = new Set<ManifestKind>();
  /** The account_id a row gave next to its account key, to check it against the accounts sheet. */
  readonly statedAccountIds = new Map<DesiredDepartment | DesiredAgent, number>();
  private readonly columns = new Map<string, Map<Field, ColumnPlace>>();
  /** Account references and list cells shared between rows (see SharedValues). */
  readonly shared = new SharedValues();
  private readonly invalidDeclarations = new Set<string>();
  /** Values no message about a row may quote (all values of a CSV row whose fields may be shifted). */
  private readonly hidden = new Map<SourceLocation, readonly string[]>();

  constructor(private readonly problems: ProblemCollector) {}

  registerColumns(file: string, sheet: string | undefined, columns: Map<Field, ColumnPlace>): void {
    this.columns.set(tableKey(file, sheet), columns);
  }

  /**
   * Remembers what a row that failed validation would have declared (an
   * account key, a department name), so rows referring to it are not also
   * reported as naming something undeclared: one mistake, one message.
   */
  noteInvalidRow(kind: ManifestKind, cells: Partial<Record<Field, string>>): void {
    if (kind === 'accounts' && cells.key) this.invalidDeclarations.add(`key:${nameKey(cells.key)}`);
    if (kind === 'accounts' && cells.account_id) this.invalidDeclarations.add(`id:${cells.account_id}`);
    if (kind === 'departments' && cells.name)
      this.invalidDeclarations.add(`department:${nameKey(cells.name)}`);
  }

  /** Whether a failed row declared this account key (`key:…`), account ID (`id:…`) or department name. */
  declaredByInvalidRow(declaration: string): boolean {
    return this.invalidDeclarations.has(declaration);
  }

  hideInMessages(source: SourceLocation, values: readonly string[]): void {
    this.hidden.set(source, values);
  }

  add(declared: RowEntity): void {
    switch (declared.kind) {
      case 'accounts':
        this.accounts.push(declared.entity);
        break;
      case 'departments':
        this.departments.push(declared.entity);
        if (declared.statedAccountId !== undefined) {
          this.statedAccountIds.set(declared.entity, declared.statedAccountId);
        }
        break;
      case 'agents':
        this.agents.push(declared.entity);
        if (declared.statedAccountId !== undefined) {
          this.statedAccountIds.set(declared.entity, declared.statedAccountId);
        }
        break;
    }
  }

  /** Records a problem of one cell of an entity's row; the column is left out when the table has no such column. */
  report(source: SourceLocation, field: Field, severity: 'error' | 'warning', message: string): void {
    const place = this.columns.get(tableKey(source.file, source.sheet))?.get(field);
    this.problems.add(
      {
        severity,
        file: source.file,
        sheet: source.sheet,
        row: source.row,
        column: place?.header,
        message: hideSecrets(message, this.hidden.get(source) ?? []),
      },
      place?.index,
    );
  }

  build(): Desired {
    return {
      accounts: this.accounts,
      departments: this.departments,
      agents: this.agents,
      kindsPresent: this.kindsPresent,
    };
  }
}

function tableKey(file: string, sheet: string | undefined): string {
  return `${file}\u0000${sheet ?? ''}`;
}

import type { AccountRef } from '../model/desired.js';
import type { OmnizeId } from '../model/vocabulary.js';
import { Invalid, type Parsed } from './values.js';

/**
 * Values that many rows repeat, made once per manifest and shared: the
 * reference to an account, and the list parsed from a departments or
 * channels cell. 100k agents over a few hundred accounts then hold a few
 * hundred such objects, not 100k — and allocate none per row. Shared lists
 * are frozen, as one change would show in every row.
 */
export class SharedValues {
  private readonly references = new Map<string, AccountRef>();
  private readonly lists = new Map<string, Parsed<readonly unknown[]>>();

  accountByKey(key: string): AccountRef {
    return this.reference(`key:${key}`, () => ({ key }));
  }

  accountById(accountId: OmnizeId): AccountRef {
    return this.reference(`id:${accountId}`, () => ({ accountId }));
  }

  /** The parsed list for a cell's text (or why it is not one), parsed once per distinct text. */
  list<T>(text: string, parse: (text: string) => Parsed<T[]>): Parsed<T[]> {
    const key = `${parse.name}\u0000${text}`;
    let parsed = this.lists.get(key);
    if (parsed === undefined) {
      const fresh = parse(text);
      parsed = fresh instanceof Invalid ? fresh : Object.freeze(fresh);
      this.lists.set(key, parsed);
    }
    return parsed as Parsed<T[]>;
  }

  private reference(key: string, create: () => AccountRef): AccountRef {
    let reference = this.references.get(key);
    if (reference === undefined) {
      reference = create();
      this.references.set(key, reference);
    }
    return reference;
  }
}

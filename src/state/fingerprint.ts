import { createHmac, randomBytes } from 'node:crypto';
import { InternalError } from '../errors.js';
import type { Sql } from './sql.js';

/**
 * Password fingerprints let a later run tell "the manifest's password changed"
 * without the store ever holding the password or its SHA-256 (which is what
 * the API takes as the password, so it is a secret too). A fingerprint is an
 * HMAC-SHA256 keyed with a random key that lives only in this store: without
 * the key a fingerprint cannot be checked against guessed passwords, and two
 * stores give different fingerprints for the same password.
 */

/** Bytes of the random key, the HMAC-SHA256 block-size recommendation (RFC 2104 §3: at least the output length). */
export const FINGERPRINT_KEY_BYTES = 32;

/** The prefix says what a stored value is, so a raw password or digest can never pass for one. */
const PREFIX = 'hmac-sha256:';
const FINGERPRINT_SHAPE = /^(hmac-sha256:[0-9a-f]{64}|generated)$/;

/**
 * Stored in place of a fingerprint for an agent this tool created with a random password: nothing
 * of that password is kept (CONTRACT §3), only that there was one, so a manifest password added
 * later is sent rather than kept back as for an agent the tool never gave a password.
 */
export const GENERATED_PASSWORD_MARK = 'generated';

export function newFingerprintKey(): Buffer {
  return randomBytes(FINGERPRINT_KEY_BYTES);
}

export function computeFingerprint(key: Buffer, password: string): string {
  return PREFIX + createHmac('sha256', key).update(password, 'utf8').digest('hex');
}

/**
 * Refuses anything that is not a fingerprint before it is stored: a caller that
 * passed a password or its digest by mistake fails here instead of leaking it
 * into the file. The value itself is kept out of the message.
 */
export function assertFingerprint(value: string | undefined): void {
  if (value !== undefined && !FINGERPRINT_SHAPE.test(value)) {
    throw new InternalError('a value that is not a password fingerprint was given to the state store as one');
  }
}

/** The store's key, made at its first open; INSERT OR IGNORE lets two first opens race safely. */
export function loadFingerprintKey(sql: Sql): Buffer {
  const read = () =>
    sql.prepare("SELECT value FROM meta WHERE name = 'fingerprint_key'").pluck().get() as Buffer | undefined;
  const existing = read();
  if (existing !== undefined) return existing;
  return sql.write(() => {
    sql
      .prepare("INSERT OR IGNORE INTO meta (name, value) VALUES ('fingerprint_key', ?)")
      .run(newFingerprintKey());
    return read() as Buffer;
  });
}

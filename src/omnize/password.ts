import { hash } from 'node:crypto';

/**
 * The document's "Plain text signed as SHA256 hash": the SHA-256 digest of
 * the UTF-8 text as 64 lower-case hex characters. The result is as secret as
 * the password itself (CONTRACT §7): never log, store or report it. Node's
 * one-shot hash (a string is hashed as UTF-8), a third of the CPU of a Hash
 * object per call: one per agent sent.
 */
export function sha256Hex(plain: string): string {
  return hash('sha256', plain, 'hex');
}

/** Whether a value has the shape of `sha256Hex`'s output, to refuse a plain password passed by mistake. */
export function isSha256Hex(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

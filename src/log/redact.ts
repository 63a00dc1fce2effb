/**
 * Secrets (the partner token, plain passwords, their SHA-256 digests, login JWTs)
 * must never reach a log line, a report or an error message. Two nets catch them:
 * keys whose name says "secret", and values registered at run time (the token
 * read from the environment), wherever they appear inside a string.
 */

export const REDACTED = '[REDACTED]';

/** Keys whose values are secret wherever they appear (request bodies, error objects, config). */
const SECRET_KEY = /^(token|password|passwordsha256|password_sha256|passwordhash|authorization|jwt|secret)$/i;

/** `?token=…` and `&token=…` in URLs, and a 64-hex SHA-256 digest anywhere. */
const TOKEN_IN_QUERY = /([?&]token=)[^&#\s"']*/gi;
const SHA256_HEX = /\b[0-9a-f]{64}\b/gi;

/** Values known to be secret in this process (the token, plain passwords read from a manifest). */
const knownSecrets = new Set<string>();

/** Remember a value that must be masked wherever it appears. Values shorter than 4 characters are too common to mask safely. */
export function registerSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= 4) knownSecrets.add(value);
}

export function redactString(text: string): string {
  let result = text.replace(TOKEN_IN_QUERY, `$1${REDACTED}`).replace(SHA256_HEX, REDACTED);
  for (const secret of knownSecrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** A deep copy of `value` with every secret masked; errors become plain objects keeping name, message and stack. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 12) return '[too deep]';
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const plain: Record<string, unknown> = { type: value.name, message: value.message, stack: value.stack };
    for (const [key, inner] of Object.entries(value)) plain[key] = inner;
    if (value.cause !== undefined) plain.cause = value.cause;
    return redactSecrets(plain, depth + 1);
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value instanceof Map) return redactSecrets(Object.fromEntries(value), depth + 1);
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(inner, depth + 1);
  }
  return copy;
}

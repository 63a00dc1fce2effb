import type { Sql } from './sql.js';

/**
 * The key a learned rate is kept under: the base URL's origin and path, without user info,
 * query or fragment, so a credential written into the URL never reaches the state store.
 */
export function rateKey(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
  } catch {
    return baseUrl.replace(/[?#].*$/, '');
  }
}

/** The rate `--rate auto` learned for the API at `baseUrl` in an earlier run, if any. */
export function selectLearnedRate(sql: Sql, baseUrl: string): number | undefined {
  const rate = sql.prepare('SELECT rate FROM learned_rates WHERE base_url = ?').pluck().get(rateKey(baseUrl));
  return typeof rate === 'number' ? rate : undefined;
}

export function writeLearnedRate(sql: Sql, baseUrl: string, rate: number): void {
  sql.write(() =>
    sql
      .prepare(
        `INSERT INTO learned_rates (base_url, rate, learned_at) VALUES (?, ?, ?)
         ON CONFLICT (base_url) DO UPDATE SET rate = excluded.rate, learned_at = excluded.learned_at`,
      )
      .run(rateKey(baseUrl), rate, sql.now()),
  );
}

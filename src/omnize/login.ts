/**
 * The login link of the document's "Url login" flow:
 * `https://login.omnize.com.br?token=<jwt>`, the JWT URL-encoded. The link
 * logs its holder in as the agent: hand it to that agent only, never log it.
 */
export function loginLink(loginUrl: string, jwt: string): string {
  const separator = loginUrl.includes('?') ? '&' : '?';
  return `${loginUrl}${separator}token=${encodeURIComponent(jwt)}`;
}

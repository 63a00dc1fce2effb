import { RetriesExhausted } from '../limits/retry.js';
import { redactString, registerSecret } from '../log/redact.js';
import type { DesiredAgent } from '../model/desired.js';
import type { SourceLocation } from '../model/source.js';
import {
  ApiProtocolError,
  ApiRejectedError,
  InvalidTokenError,
  loginLink,
  TransientApiError,
} from '../omnize/index.js';
import type { ApiSession } from '../run/api-session.js';

/** One agent of the manifest and what its "Url login" call gave: a link, or why there is none. */
export interface LoginLinkRow {
  email: string;
  name: string;
  source: SourceLocation;
  /**
   * `<login-url>?token=<jwt>`: logs its holder in as the agent. A credential: it goes into the
   * CSV output and nowhere else (no log line, no error message).
   */
  link?: string;
  /** Why the agent has no link, free of secrets; set exactly when `link` is not. */
  failure?: string;
}

/**
 * Asks the auth endpoint for a login token for every agent, each through the session's request
 * pipeline (--concurrency, --rate, the retry policy), and returns one row per agent in the order
 * given. An agent the endpoint refuses, or whose retries run out, gets a `failure` and the
 * others go on. "Invalid token" is different: it stops the session's run, so no further request
 * is sent, and the InvalidTokenError is thrown once the calls in flight end.
 */
export async function requestLoginLinks(
  agents: readonly DesiredAgent[],
  session: Pick<ApiSession, 'client' | 'run'>,
  loginUrl: string,
): Promise<LoginLinkRow[]> {
  let invalidToken: InvalidTokenError | undefined;
  const rows = await Promise.all(
    agents.map(async (agent): Promise<LoginLinkRow> => {
      const row = { email: agent.email, name: agent.name, source: agent.source };
      try {
        // A call the stopped run refuses rejects with the InvalidTokenError that stopped it.
        const jwt = await session.run(() => session.client.requestLoginToken(agent.email));
        // A second net: should a JWT ever reach a log line, it is masked there.
        registerSecret(jwt);
        return { ...row, link: loginLink(loginUrl, jwt) };
      } catch (error) {
        if (error instanceof InvalidTokenError) invalidToken ??= error;
        return { ...row, failure: describeFailure(error) };
      }
    }),
  );
  if (invalidToken !== undefined) throw invalidToken;
  return rows;
}

/** A short reason for the failure report; anything that is not an API failure is a bug and is rethrown. */
function describeFailure(error: unknown): string {
  if (error instanceof ApiRejectedError) return redactString(`refused: ${error.apiMessage}`);
  if (error instanceof RetriesExhausted) {
    const tries = `${error.attempts} ${error.attempts === 1 ? 'try' : 'tries'}`;
    return redactString(`gave up after ${tries}: ${error.message}`);
  }
  if (
    error instanceof ApiProtocolError ||
    error instanceof TransientApiError ||
    error instanceof InvalidTokenError
  ) {
    return redactString(error.message);
  }
  throw error;
}

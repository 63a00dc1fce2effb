import { createHmac, randomBytes } from 'node:crypto';
import { filledText } from './input.js';
import { SANDBOX_ERRORS } from './messages.js';
import type { SandboxStore } from './store.js';

/** The "Url login" answer: `{message, token, status}`, always sent with HTTP 200 (the status that matters is in the body). */
export interface AuthenticationAnswer {
  message: string;
  /** A JWT for the agent on success; empty otherwise. */
  token: string;
  status: number;
}

/** How long a login token is valid, as written into its `exp` claim. */
const LOGIN_TOKEN_SECONDS = 3600;

/**
 * Answers `POST /authentication` `{"action":"loginPartner","username":<agent e-mail>,"token":<partner token>}`.
 * Non-200 `status` values: 400 (unknown action), 401 (bad partner token),
 * 404 (no agent with that e-mail in a live account), 403 (agent or its account inactive).
 */
export class Authenticator {
  /** A fresh key per sandbox: tokens are JWT-shaped and signed, but only this process could check them. */
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly store: SandboxStore,
    private readonly partnerToken: string,
  ) {}

  answer(body: Record<string, unknown>, nowSeconds: number): AuthenticationAnswer {
    if (body.action !== 'loginPartner') return refusal(SANDBOX_ERRORS.unknownAction, 400);
    if (body.token !== this.partnerToken) return refusal(SANDBOX_ERRORS.invalidToken, 401);
    const email = filledText(body.username);
    const agent = email === undefined ? undefined : this.store.agentByEmail(email);
    const live = agent === undefined ? undefined : this.store.liveAgent(agent.id);
    if (live === undefined) return refusal(SANDBOX_ERRORS.userNotFound, 404);
    if (live.ativo !== 1 || this.store.liveAccount(live.account_id)?.ativo !== 1) {
      return refusal(SANDBOX_ERRORS.userInactive, 403);
    }
    const claims = {
      sub: String(live.id),
      email: live.email,
      account_id: live.account_id,
      iss: 'omnize-sync-sandbox',
      iat: nowSeconds,
      exp: nowSeconds + LOGIN_TOKEN_SECONDS,
    };
    return { message: '', token: this.sign(claims), status: 200 };
  }

  private sign(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createHmac('sha256', this.signingKey)
      .update(`${header}.${payload}`)
      .digest('base64url');
    return `${header}.${payload}.${signature}`;
  }
}

function refusal(message: string, status: number): AuthenticationAnswer {
  return { message, token: '', status };
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

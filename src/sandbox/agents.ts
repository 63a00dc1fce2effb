import type { SandboxAgent } from './data.js';
import { filledText, isBlank, isEmailLike, isRecord, readId, readWholeNumber, SHA256_HEX } from './input.js';
import { SANDBOX_ERRORS } from './messages.js';
import type { SandboxStore } from './store.js';
import { agentObject, failure, type Handler, success } from './wire.js';

/** `ADMIN` → "SIM", `AGENT` → "NAO", exactly as the document spells the profiles; anything else is invalid. */
function administratorFor(profile: unknown): 'SIM' | 'NAO' | undefined {
  if (profile === 'ADMIN') return 'SIM';
  if (profile === 'AGENT') return 'NAO';
  return undefined;
}

/** The e-mail check shared by create and update; `self` is the agent being updated, whose own e-mail is not a clash. */
function emailProblem(store: SandboxStore, email: unknown, self?: SandboxAgent): string | undefined {
  if (isBlank(email)) return SANDBOX_ERRORS.emailBlank;
  const text = filledText(email);
  if (text === undefined || !isEmailLike(text)) return SANDBOX_ERRORS.emailInvalid;
  const holder = store.agentByEmail(text);
  if (holder !== undefined && holder.id !== self?.id) return SANDBOX_ERRORS.emailTaken;
  return undefined;
}

/** `null` clears the limit; absent keeps it (update) or leaves none (create). */
function textLimitOf(value: unknown): { ok: true; value: number | null | undefined } | { ok: false } {
  if (value === undefined) return { ok: true, value: undefined };
  if (value === null) return { ok: true, value: null };
  const number = readWholeNumber(value);
  return number === undefined ? { ok: false } : { ok: true, value: number };
}

/** POST /agents `{token, profile?, agent:{email,name,password,text_limit?,account_id}}` → the agent object. */
export const createAgent: Handler = ({ store, body, now }) => {
  const administrator = body.profile === undefined ? 'NAO' : administratorFor(body.profile);
  if (administrator === undefined) return failure(SANDBOX_ERRORS.invalidProfile);
  const fields = isRecord(body.agent) ? body.agent : {};
  const account = store.liveAccount(readId(fields.account_id));
  if (account === undefined) return failure(SANDBOX_ERRORS.accountNotFound);
  const problem = emailProblem(store, fields.email);
  if (problem !== undefined) return failure(problem);
  const name = filledText(fields.name);
  if (name === undefined) return failure(SANDBOX_ERRORS.nameBlank);
  if (isBlank(fields.password)) return failure(SANDBOX_ERRORS.passwordBlank);
  if (typeof fields.password !== 'string' || !SHA256_HEX.test(fields.password)) {
    return failure(SANDBOX_ERRORS.passwordNotHash);
  }
  const textLimit = textLimitOf(fields.text_limit);
  if (!textLimit.ok) return failure(SANDBOX_ERRORS.invalidTextLimit);
  const agent = store.createAgent({
    account_id: account.id,
    email: filledText(fields.email)!,
    name,
    administrator,
    ativo: 1,
    text_limit: textLimit.value ?? null,
    password_sha256: fields.password,
    date_creation: now,
    change_date: now,
  });
  return success(agentObject(agent));
};

/** PUT /agents/:id `{token, agent:{email,name,text_limit?,password?}}` → no data. E-mail and name are required. */
export const updateAgent: Handler = ({ store, id, body, now }) => {
  const agent = store.liveAgent(readId(id));
  if (agent === undefined) return failure(SANDBOX_ERRORS.agentNotFound);
  const fields = isRecord(body.agent) ? body.agent : {};
  const problem = emailProblem(store, fields.email, agent);
  if (problem !== undefined) return failure(problem);
  const name = filledText(fields.name);
  if (name === undefined) return failure(SANDBOX_ERRORS.nameBlank);
  const password = isBlank(fields.password) ? undefined : fields.password;
  if (password !== undefined && (typeof password !== 'string' || !SHA256_HEX.test(password))) {
    return failure(SANDBOX_ERRORS.passwordNotHash);
  }
  const textLimit = textLimitOf(fields.text_limit);
  if (!textLimit.ok) return failure(SANDBOX_ERRORS.invalidTextLimit);
  store.changeAgentEmail(agent, filledText(fields.email)!);
  agent.name = name;
  if (textLimit.value !== undefined) agent.text_limit = textLimit.value;
  if (typeof password === 'string') agent.password_sha256 = password;
  agent.change_date = now;
  return success();
};

/** PUT /agents/:id/profile `{token, profile}` → no data. */
export const updateAgentProfile: Handler = ({ store, id, body, now }) => {
  const agent = store.liveAgent(readId(id));
  if (agent === undefined) return failure(SANDBOX_ERRORS.agentNotFound);
  const administrator = administratorFor(body.profile);
  if (administrator === undefined) return failure(SANDBOX_ERRORS.invalidProfile);
  agent.administrator = administrator;
  agent.change_date = now;
  return success();
};

/** GET /agents?token=&account_id= → the account's agents. */
export const listAgents: Handler = ({ store, query }) => {
  const account = store.liveAccount(readId(query.get('account_id') ?? undefined));
  if (account === undefined) return failure(SANDBOX_ERRORS.accountNotFound);
  return success(store.agentsOfAccount(account.id).map(agentObject));
};

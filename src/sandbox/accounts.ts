import type { SandboxAccount } from './data.js';
import {
  filledText,
  isBlank,
  isEmailLike,
  isRecord,
  readAtivo,
  readId,
  readText,
  readWholeNumber,
  SHA256_HEX,
} from './input.js';
import { SANDBOX_ERRORS } from './messages.js';
import { type Answer, accountObject, failure, type Handler, success } from './wire.js';

/** The fields of `account:{…}` the document shows; others are ignored, as a Rails strong-params filter would. */
const ACCOUNT_FIELDS = ['email', 'main_contact', 'telefone', 'url', 'ativo'] as const;

/** A present `email` or `main_contact` must be filled; undefined when the fields are acceptable. */
function accountFieldsProblem(fields: Record<string, unknown>, creating: boolean): string | undefined {
  if (creating || 'email' in fields) {
    if (isBlank(fields.email)) return SANDBOX_ERRORS.emailBlank;
    const email = filledText(fields.email);
    if (email === undefined || !isEmailLike(email)) return SANDBOX_ERRORS.emailInvalid;
  }
  if ((creating || 'main_contact' in fields) && filledText(fields.main_contact) === undefined) {
    return SANDBOX_ERRORS.mainContactBlank;
  }
  return undefined;
}

/** POST /accounts `{token, license_quantity, password?, account:{email,main_contact,telefone,url}}` → the account object. */
export const createAccount: Handler = ({ store, body, now }) => {
  const fields = isRecord(body.account) ? body.account : {};
  const problem = accountFieldsProblem(fields, true);
  if (problem !== undefined) return failure(problem);
  const licenses = readWholeNumber(body.license_quantity);
  if (licenses === undefined) return failure(SANDBOX_ERRORS.invalidLicenseQuantity);
  const password = isBlank(body.password) ? null : body.password;
  if (password !== null && (typeof password !== 'string' || !SHA256_HEX.test(password))) {
    return failure(SANDBOX_ERRORS.passwordNotHash);
  }
  const account = store.createAccount({
    email: filledText(fields.email)!,
    main_contact: filledText(fields.main_contact)!,
    telefone: readText(fields.telefone) ?? null,
    url: readText(fields.url) ?? null,
    license_quantity: licenses,
    license_code: null,
    ativo: 1,
    deleted: false,
    password_sha256: password,
    date_creation: now,
    change_date: now,
  });
  return success(accountObject(account));
};

/**
 * PUT /accounts/:id. The body decides, in this order, like an if/elsif
 * controller: `account:{…}` updates fields (with only `ativo` it is the
 * document's activate/deactivate call and answers no data); otherwise
 * `license_quantity`; otherwise `license_code`. Only the first present is applied.
 */
export const updateAccount: Handler = ({ store, id, body, now }) => {
  const account = store.liveAccount(readId(id));
  if (account === undefined) return failure(SANDBOX_ERRORS.accountNotFound);
  if (body.account !== undefined) return updateAccountFields(account, body.account, now);
  if (body.license_quantity !== undefined) {
    const licenses = readWholeNumber(body.license_quantity);
    if (licenses === undefined) return failure(SANDBOX_ERRORS.invalidLicenseQuantity);
    account.license_quantity = licenses;
    account.change_date = now;
    return success();
  }
  if (body.license_code !== undefined) {
    const code = filledText(body.license_code);
    if (code === undefined) return failure(SANDBOX_ERRORS.licenseCodeBlank);
    account.license_code = code;
    account.change_date = now;
    return success();
  }
  return failure(SANDBOX_ERRORS.nothingToUpdate);
};

function updateAccountFields(account: SandboxAccount, value: unknown, now: string): Answer {
  if (!isRecord(value)) return failure(SANDBOX_ERRORS.nothingToUpdate);
  const given = ACCOUNT_FIELDS.filter((field) => value[field] !== undefined);
  if (given.length === 0) return failure(SANDBOX_ERRORS.nothingToUpdate);
  const problem = accountFieldsProblem(value, false);
  if (problem !== undefined) return failure(problem);
  const ativo = value.ativo === undefined ? undefined : readAtivo(value.ativo);
  if (value.ativo !== undefined && ativo === undefined) return failure(SANDBOX_ERRORS.invalidAtivo);
  if (value.email !== undefined) account.email = filledText(value.email)!;
  if (value.main_contact !== undefined) account.main_contact = filledText(value.main_contact)!;
  if (value.telefone !== undefined) account.telefone = readText(value.telefone) ?? null;
  if (value.url !== undefined) account.url = readText(value.url) ?? null;
  if (ativo !== undefined) account.ativo = ativo;
  account.change_date = now;
  const onlyActivation = given.length === 1 && given[0] === 'ativo';
  return onlyActivation ? success() : success(accountObject(account));
}

/** DELETE /accounts/:id `{token}` → `message: "Account deleted successfully"`. A soft delete: the account disappears from the API. */
export const deleteAccount: Handler = ({ store, id, now }) => {
  const account = store.liveAccount(readId(id));
  if (account === undefined) return failure(SANDBOX_ERRORS.accountNotFound);
  account.deleted = true;
  account.change_date = now;
  return { ok: true, message: 'Account deleted successfully' };
};

/**
 * Every error text the sandbox answers with, in one place so tests and the
 * client's own tests can name them. The document gives only two:
 * "Invalid token" and "E-mail can be blank" (sic: it means "can't be
 * blank"); the other validation messages follow that style. They arrive as
 * `{"status":200,"success":false,"errors":"<message>"}` with HTTP 200,
 * except where noted.
 */
export const SANDBOX_ERRORS = {
  /** The token is missing or not the sandbox's (body token for POST/PUT/DELETE, `?token=` for GET). */
  invalidToken: 'Invalid token',
  /** The document's own message. */
  emailBlank: 'E-mail can be blank',
  emailInvalid: 'E-mail is invalid',
  /** Agent e-mails are unique across the whole sandbox, case-insensitively. */
  emailTaken: 'E-mail has already been taken',
  nameBlank: 'Name can be blank',
  mainContactBlank: 'Main contact can be blank',
  /** Agent create without a password. */
  passwordBlank: 'Password can be blank',
  /** A password that is not 64 lower-case hex characters. */
  passwordNotHash: 'Password must be a SHA256 hash',
  /** A profile other than exactly `ADMIN` or `AGENT`. */
  invalidProfile: 'Invalid profile',
  invalidTextLimit: 'Text limit must be a whole number',
  invalidLicenseQuantity: 'License quantity must be a whole number',
  licenseCodeBlank: 'License code can be blank',
  invalidAtivo: 'Ativo must be 0 or 1',
  /** PUT /accounts/:id with none of `account`, `license_quantity`, `license_code`; PUT /departments/:id without `department`. */
  nothingToUpdate: 'Nothing to update',
  /** Unknown, malformed or deleted account id. */
  accountNotFound: 'Account not found',
  agentNotFound: 'Agent not found',
  /** add_agents/remove_agents naming an agent of another account. */
  agentOfAnotherAccount: 'Agent belongs to another account',
  departmentNotFound: 'Department not found',
  /** Department names are unique within an account, case-insensitively and trimmed. */
  departmentNameTaken: 'Department name has already been taken',
  /** A channel other than exactly `chat`, `video` or `audio`. */
  invalidChannel: 'Invalid channel',
  agentsBlank: 'Agents can be blank',
  channelsBlank: 'Channels can be blank',
  /** HTTP 404, body `{"status":404,"success":false,"errors":…}`: no such route (method and path). */
  routeNotFound: 'Route not found',
  /** HTTP 400, same body shape: the request body is not JSON. */
  malformedJson: 'Malformed JSON body',
  /** HTTP 413, same body shape: a body above the sandbox's size limit. */
  bodyTooLarge: 'Request body too large',
  /** HTTP 429 with Retry-After, same body shape: above `--rate-limit`. */
  rateLimited: 'Rate limit exceeded',
  /** HTTP 500, same body shape, followed by the cause: a bug in the sandbox, not an injected fault. */
  internalError: 'Internal sandbox error',
  /** /authentication answers (in its own `{message, token, status}` shape, HTTP 200). */
  unknownAction: 'Unknown action',
  userNotFound: 'User not found',
  userInactive: 'User is inactive',
} as const;

export type SandboxErrorMessage = (typeof SANDBOX_ERRORS)[keyof typeof SANDBOX_ERRORS];

/** The Partner API client's public surface, for the live reader, the executor and the CLI. */
export { OmnizeClient } from './client.js';
export {
  ApiProtocolError,
  ApiRejectedError,
  InvalidTokenError,
  isTransient,
  parseRetryAfter,
  TransientApiError,
  type TransientCause,
} from './errors.js';
export { loginLink } from './login.js';
export { isSha256Hex, sha256Hex } from './password.js';
export type { HttpMethod, RequestRecord } from './transport.js';
export type {
  AccountChanges,
  AgentChanges,
  DepartmentChanges,
  NewAccount,
  NewAgent,
  NewDepartment,
  OmnizeClientOptions,
  RemoteDepartment,
} from './types.js';
export { widgetSnippet } from './widget.js';

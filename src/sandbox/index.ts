/**
 * The local Partner API simulator (CONTRACT §9): a real HTTP server that
 * answers like the document, for the quickstart, the end-to-end tests and
 * the benchmarks. Start it with `startSandbox({ token, port: 0 })`.
 */
export type {
  SandboxAccount,
  SandboxAccountInput,
  SandboxAgent,
  SandboxAgentInput,
  SandboxData,
  SandboxDataInput,
  SandboxDepartment,
  SandboxDepartmentInput,
} from './data.js';
export { emptySandboxData, FIRST_IDS } from './data.js';
export { loadSandboxDataFile, saveSandboxDataFile } from './data-file.js';
export { SANDBOX_ERRORS, type SandboxErrorMessage } from './messages.js';
export { normalizeSandboxData, SandboxDataError } from './normalize.js';
export type { RecordedRequest, RunningSandbox, SandboxOptions } from './options.js';
export { API_PREFIX, AUTHENTICATION_PATH } from './routes.js';
export { startSandbox } from './server.js';
export { FAULT_KINDS, type FaultKind, type ForcedFault } from './traffic.js';

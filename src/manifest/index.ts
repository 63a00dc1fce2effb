/**
 * Reading and validating the partner's manifest (CONTRACT §3): XLSX and CSV
 * readers, header aliases, row schemas and the checks across rows, giving a
 * `Desired` model or every problem found; and handing rows back in the
 * manifest's own sheets and columns (rejected.xlsx).
 */
export {
  type HandBack,
  type HandBackSheet,
  type RowError,
  readRowsToHandBack,
  rowKey,
  rowsToHandBack,
} from './hand-back.js';
export { loadManifest } from './load.js';
export { formatProblem, summarizeProblems } from './problems.js';
export {
  cellsByHeader,
  type LoadedManifest,
  type LoadManifestOptions,
  type ManifestArgument,
  type ManifestProblem,
  type ManifestRow,
  type ManifestTable,
} from './types.js';

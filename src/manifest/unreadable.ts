import { ManifestError } from '../errors.js';

/**
 * A manifest file that cannot be read at all (missing, empty, damaged, not
 * the format its name says, a CSV row with more fields than its header).
 * Readers throw it with a message that does not name the file; the loader
 * turns it into one problem naming the file, so the rest of the manifest is
 * still checked. The message never quotes cell values.
 */
export class UnreadableFileError extends ManifestError {
  override name = 'UnreadableFileError';
  constructor(
    message: string,
    /** The row the reader stopped at (Excel's numbering), or 0 for the file as a whole. */
    readonly row = 0,
    readonly sheet?: string,
  ) {
    super(message);
  }
}

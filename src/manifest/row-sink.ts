/** A cell the reader could not give a value for (a formula error, a formula never calculated). */
export interface CellError {
  /** Position of the column, counting from 0. */
  column: number;
  message: string;
}

/** What the XLSX and CSV readers feed: every non-blank row, the first being the header. */
export interface RowSink {
  /**
   * `rowNumber` is the row Excel shows; `cells` are by column position and
   * may need trimming; the sink owns the array from then on (it trims in place). `fieldsMissing`: a CSV row with fewer fields than
   * its header. Read like Excel does (the missing cells empty), but a value
   * may then sit in the wrong column — a password in `profile` — so no
   * message quotes any of the row's values.
   */
  row(rowNumber: number, cells: string[], cellErrors: readonly CellError[], fieldsMissing?: boolean): void;
}

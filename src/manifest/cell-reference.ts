/** Cell references as Excel writes them: column letters, then the row number (`B12`). */

/** `B12` → 1 (columns count from 0 here). */
export function columnIndex(reference: string): number {
  let index = 0;
  for (let position = 0; position < reference.length; position++) {
    const code = reference.charCodeAt(position) & ~32; // upper-case letters
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}

/** 0 → `A`, 27 → `AB`: the column letters Excel shows. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}

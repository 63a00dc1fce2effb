import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIELDS } from '../manifest/headers.js';
import { MANIFEST_KINDS } from '../model/vocabulary.js';
import { deflatedEntry, zipArchive } from './zip-writer.js';

/** The file of the report folder that hands rows back (CONTRACT §7). */
export const REJECTED_FILE = 'rejected.xlsx';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/**
 * Writes rejected.xlsx for a run with no row to hand back (a plan, an apply where everything
 * landed), so every report folder holds the files CONTRACT §7 lists: the sheets `accounts`,
 * `departments` and `agents`, each with its columns and the `error` column, and no row. Made
 * here, not with exceljs: loading it costs a run ~185 ms and ~28 MB, which a workbook of three
 * header rows does not need. Given back as a manifest it validates and plans nothing.
 */
export function writeNoRejectedWorkbook(folder: string): void {
  const sheets = MANIFEST_KINDS.map((kind) => ({ name: kind, headers: [...FIELDS[kind], 'error'] }));
  const overrides = sheets
    .map(
      (_, index) =>
        `<Override PartName="/xl/worksheets/sheet${index + 1}.xml" ContentType="${CONTENT_TYPE}.worksheet+xml"/>`,
    )
    .join('');
  const parts: Record<string, string> = {
    '[Content_Types].xml': `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CONTENT_TYPE}.sheet.main+xml"/>${overrides}</Types>`,
    '_rels/.rels': `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${XML}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets>${sheets
      .map((sheet, index) => `<sheet name="${sheet.name}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`)
      .join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">${sheets
      .map(
        (_, index) =>
          `<Relationship Id="rId${index + 1}" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`,
      )
      .join('')}</Relationships>`,
  };
  sheets.forEach((sheet, index) => {
    // Header names are the program's own: letters, digits and `_`, nothing to escape.
    const cells = sheet.headers
      .map(
        (header, column) =>
          `<c r="${String.fromCharCode(65 + column)}1" t="inlineStr"><is><t>${header}</t></is></c>`,
      )
      .join('');
    parts[`xl/worksheets/sheet${index + 1}.xml`] =
      `${XML}<worksheet xmlns="${MAIN}"><sheetData><row r="1">${cells}</row></sheetData></worksheet>`;
  });
  const entries = Object.entries(parts).map(([name, xml]) => deflatedEntry(name, Buffer.from(xml, 'utf8')));
  writeFileSync(join(folder, REJECTED_FILE), zipArchive(entries));
}

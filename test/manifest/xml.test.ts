import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MARKUP_BYTES } from '../../src/manifest/limits.js';
import {
  parseAttributes,
  type XmlHandler,
  XmlMarkupTooLongError,
  XmlScanner,
  XmlSyntaxError,
} from '../../src/manifest/xml.js';

/** Records every event, asking for text everywhere. */
function record(chunks: Buffer[]): string[] {
  const events: string[] = [];
  const handler: XmlHandler = {
    wantsText: true,
    open: (name, attributes, selfClosing) =>
      events.push(`<${name}${attributes ? ` ${attributes}` : ''}${selfClosing ? '/' : ''}>`),
    close: (name) => events.push(`</${name}>`),
    text: (text) => {
      // Text may come in pieces: join neighbours so the record does not depend on chunking.
      const last = events.length - 1;
      if (last >= 0 && events[last]?.startsWith('text:')) events[last] += text;
      else events.push(`text:${text}`);
    },
  };
  const scanner = new XmlScanner(handler);
  for (const chunk of chunks) scanner.write(chunk);
  scanner.end();
  return events;
}

const SAMPLE =
  '<?xml version="1.0" encoding="UTF-8"?><!-- a comment with <c> inside -->' +
  '<x:sst xmlns:x="urn:x"><x:si><x:t xml:space="preserve"> José &amp; Conceição &#233;&#xE9; </x:t></x:si>' +
  '<x:si><x:r><x:t>a&lt;b&gt;</x:t></x:r><x:t><![CDATA[<not a tag> & ]]></x:t></x:si><empty a=\'1 > 0\' b="x"/></x:sst>';

describe('XmlScanner', () => {
  it('reports elements by local name, attributes raw, and text with entities decoded', () => {
    expect(record([Buffer.from(SAMPLE)])).toEqual([
      '<sst xmlns:x="urn:x">',
      '<si>',
      '<t xml:space="preserve">',
      'text: José & Conceição éé ',
      '</t>',
      '</si>',
      '<si>',
      '<r>',
      '<t>',
      'text:a<b>',
      '</t>',
      '</r>',
      '<t>',
      'text:<not a tag> & ',
      '</t>',
      '</si>',
      `<empty a='1 > 0' b="x"/>`,
      '</empty>',
      '</sst>',
    ]);
  });

  it('gives the same events however the bytes are cut into chunks, even inside a character', () => {
    const bytes = Buffer.from(SAMPLE);
    const whole = record([bytes]);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }),
        (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          const chunks = points.slice(1).map((end, index) => bytes.subarray(points[index], end));
          expect(record(chunks)).toEqual(whole);
        },
      ),
    );
  });

  it('gives the same text when a chunk ends inside an entity or a character, at every position', () => {
    const bytes = Buffer.from('<t>Conceição &amp; Araújo &#x1F600; &lt;ok&gt;</t>');
    const whole = record([bytes]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(record([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
  });

  it('refuses a DOCTYPE, which could declare entities', () => {
    expect(() => record([Buffer.from('<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')])).toThrow(
      XmlSyntaxError,
    );
  });

  it('says so when the input stops inside a tag', () => {
    expect(() => record([Buffer.from('<sst><si><t')])).toThrow(/middle of a tag/);
  });
});

describe('XmlScanner on input no workbook has', () => {
  const CHUNK = Buffer.alloc(64 * 1024, 'a');

  /** Feeds `<t>`, then `chunks` chunks of text with no `<`; returns the most bytes carried between chunks. */
  function longText(wantsText: boolean, chunks: number): { carried: number; text: number } {
    let text = 0;
    const scanner = new XmlScanner({
      wantsText,
      open() {},
      close() {},
      text: (piece) => {
        text += piece.length;
      },
    });
    scanner.write(Buffer.from('<t>'));
    let carried = 0;
    for (let index = 0; index < chunks; index++) {
      scanner.write(CHUNK);
      carried = Math.max(carried, scanner.carriedBytes);
    }
    return { carried, text };
  }

  // The old scanner kept such a run whole and searched it again for every chunk: quadratic, unbounded.
  it('hands on a text run with no `<` as it comes, keeping nothing of it between chunks', () => {
    expect(longText(true, 1024)).toEqual({ carried: 0, text: 1024 * CHUNK.length });
  });

  it('drops a text run nobody wants as it comes', () => {
    expect(longText(false, 1024)).toEqual({ carried: 0, text: 0 });
  });

  it('reads a long tag cut into many chunks whole, quotes and all', () => {
    const value = `${'x'.repeat(300_000)} > still inside`;
    const bytes = Buffer.from(`<dataValidation sqref="${value}"/>`);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, index) =>
      bytes.subarray(index * 1000, (index + 1) * 1000),
    );
    expect(record(chunks)).toEqual([`<dataValidation sqref="${value}"/>`, '</dataValidation>']);
  });

  it('refuses a tag longer than MAX_MARKUP_BYTES instead of buffering it', () => {
    const scanner = new XmlScanner({ wantsText: false, open() {}, close() {}, text() {} });
    scanner.write(Buffer.from('<c r="'));
    const write = () => {
      for (let sent = 0; sent <= MAX_MARKUP_BYTES; sent += CHUNK.length) scanner.write(CHUNK);
    };
    expect(write).toThrow(XmlMarkupTooLongError);
  });
});

describe('parseAttributes', () => {
  it('reads both quote styles, drops namespace prefixes and decodes entities', () => {
    expect(parseAttributes(`r="B2" t='s' r:id="rId1" name="P&amp;D"`)).toEqual({
      r: 'B2',
      t: 's',
      id: 'rId1',
      name: 'P&D',
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAttributes, type XmlHandler, XmlScanner, XmlSyntaxError } from '../../src/manifest/xml.js';

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

  it('refuses a DOCTYPE, which could declare entities', () => {
    expect(() => record([Buffer.from('<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')])).toThrow(
      XmlSyntaxError,
    );
  });

  it('says so when the input stops inside a tag', () => {
    expect(() => record([Buffer.from('<sst><si><t')])).toThrow(/middle of a tag/);
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

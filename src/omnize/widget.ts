import { UsageError } from '../errors.js';
import type { OmnizeId } from '../model/vocabulary.js';

/**
 * The document's widget snippet for one account, to paste into a web page.
 * The document's comment reads "InÃcio", which is "Início" decoded with the
 * wrong character set; the intended UTF-8 text is emitted. Returned without a
 * trailing newline.
 */
export function widgetSnippet(accountId: OmnizeId): string {
  if (!Number.isSafeInteger(accountId) || accountId <= 0) {
    throw new UsageError(`an Omnize account ID is a whole number above 0, not ${String(accountId)}`);
  }
  return [
    '<!-- Início do script Omnize -->',
    '  <script>',
    "    document.addEventListener('DOMContentLoaded',function(){",
    "      var JSLink=location.protocol+'//widget.omnize.com',JSElement=document.createElement('script');",
    '      JSElement.async=!0;',
    '      JSElement.src=JSLink;',
    '      JSElement.onload=OnceLoaded;',
    "      document.getElementsByTagName('body')[0].appendChild(JSElement);",
    '      function OnceLoaded(){',
    `        wOmz.init({id:${accountId}});`,
    '      }',
    '    },false);',
    '  </script>',
    '<!-- Fim do script Omnize -->',
  ].join('\n');
}

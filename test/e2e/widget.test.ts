import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from './harness.js';

/** The document's snippet, its comment in the intended UTF-8 ("Início", not the document's "InÃcio"). */
function expectedSnippet(accountId: number): string {
  return `<!-- Início do script Omnize -->
  <script>
    document.addEventListener('DOMContentLoaded',function(){
      var JSLink=location.protocol+'//widget.omnize.com',JSElement=document.createElement('script');
      JSElement.async=!0;
      JSElement.src=JSLink;
      JSElement.onload=OnceLoaded;
      document.getElementsByTagName('body')[0].appendChild(JSElement);
      function OnceLoaded(){
        wOmz.init({id:${accountId}});
      }
    },false);
  </script>
<!-- Fim do script Omnize -->
`;
}

/** No token at all: widget sends nothing and must not need one. */
const NO_TOKEN = { OMNIZE_TOKEN: '' };

describe('omnize-sync widget (end to end)', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
  });
  afterEach(async () => {
    // Whatever the case, widget never talks to the API.
    expect(world.sandbox.requests).toEqual([]);
    await world.close();
  });

  it('prints the exact snippet for a key adopted in the state store, "Início" in UTF-8', async () => {
    const adopted = await world.cli(['state', 'adopt', 'padaria', '1000', '--state', world.statePath]);
    expect(adopted.code).toBe(0);
    const run = await world.cli(['widget', 'padaria', '--state', world.statePath], { env: NO_TOKEN });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(expectedSnippet(1000));
    const bytes = Buffer.from(run.stdout, 'utf8');
    expect(bytes.includes(Buffer.from([0x49, 0x6e, 0xc3, 0xad, 0x63, 0x69, 0x6f]))).toBe(true); // "Início"
    expect(run.stdout).not.toContain('Ã');
  });

  it('prints the snippet for a numeric Omnize ID, with no state store and without creating one', async () => {
    const run = await world.cli(['widget', '1001'], { env: NO_TOKEN });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expectedSnippet(1001));
    expect(existsSync(world.statePath)).toBe(false);
  });

  it('uses the store for an all-digit key it knows rather than reading it as an ID', async () => {
    await world.cli(['state', 'adopt', '2024', '1001']);
    const run = await world.cli(['widget', '2024'], { env: NO_TOKEN });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expectedSnippet(1001));
  });

  it('exits 1 for an unknown key, pointing at state list, and prints no snippet', async () => {
    await world.cli(['state', 'adopt', 'padaria', '1000']);
    const run = await world.cli(['widget', 'padoca'], { env: NO_TOKEN });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no account with key "padoca" in the state store');
    expect(run.stderr).toContain('omnize-sync state list');
  });
});

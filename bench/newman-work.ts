/**
 * The one piece of work bench:newman gives both tools: AGENT_COUNT agents created in one existing
 * account, written three ways — the sandbox's starting data (the account, no agents), the
 * omnize-sync manifest (agents.csv adopting the account by account_id, plain passwords), and the
 * Postman collection with its `,` CSV data file (the documented POST /agents body, the passwords
 * already as SHA-256 hex, as the API wants them and as a partner's sheet would hold them).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ACCOUNT_ID = 7000;
export const AGENT_COUNT = 1000;

export interface WorkFiles {
  /** The sandbox data file to copy for each run: the account alone. */
  sandboxSeed: string;
  /** The folder holding the omnize-sync manifest (agents.csv). */
  roster: string;
  collection: string;
  newmanData: string;
}

export function writeWork(folder: string): WorkFiles {
  const agents = Array.from({ length: AGENT_COUNT }, (_, index) => ({
    email: `agente${index + 1}@bench-newman.com.br`,
    name: `Agente Bench ${index + 1}`,
    password: `Senha-${(index + 1) * 7919}`,
  }));
  const roster = join(folder, 'roster');
  mkdirSync(roster);
  const files: WorkFiles = {
    sandboxSeed: join(folder, 'sandbox-seed.json'),
    roster,
    collection: join(folder, 'collection.json'),
    newmanData: join(folder, 'newman-agents.csv'),
  };
  writeFileSync(files.sandboxSeed, JSON.stringify(sandboxSeed()));
  writeFileSync(
    join(roster, 'agents.csv'),
    csv(
      ['account_id', 'email', 'name', 'profile', 'password'],
      agents.map((agent) => [String(ACCOUNT_ID), agent.email, agent.name, 'AGENT', agent.password]),
    ),
  );
  writeFileSync(files.collection, JSON.stringify(collection(), null, 2));
  writeFileSync(
    files.newmanData,
    csv(
      ['account_id', 'email', 'name', 'profile', 'password'],
      agents.map((agent) => [
        String(ACCOUNT_ID),
        agent.email,
        agent.name,
        'AGENT',
        sha256Hex(agent.password),
      ]),
    ),
  );
  return files;
}

function sandboxSeed() {
  // Licences to spare, so neither tool is refused for want of one.
  const account = { id: ACCOUNT_ID, email: 'contato@bench-newman.com.br', main_contact: 'Bench' };
  return { accounts: [{ ...account, license_quantity: AGENT_COUNT * 2, ativo: 1 }] };
}

/**
 * One request, no scripts: the least newman can run per row. A partner's collection often adds a
 * test on `success` (every answer is HTTP 200), which costs newman more per row; leaving it out
 * keeps the ratio on the side of newman.
 */
function collection() {
  const body = {
    token: '{{token}}',
    profile: '{{profile}}',
    agent: { email: '{{email}}', name: '{{name}}', password: '{{password}}', account_id: '{{account_id}}' },
  };
  // The account id goes out as a number, as omnize-sync sends it: the placeholder loses its quotes.
  const raw = JSON.stringify(body).replace('"{{account_id}}"', '{{account_id}}');
  return {
    info: {
      name: 'omnize-sync bench:newman — create agents',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    item: [
      {
        name: 'Create agent',
        request: {
          method: 'POST',
          header: [{ key: 'Content-Type', value: 'application/json' }],
          url: '{{baseUrl}}/agents',
          body: { mode: 'raw', raw },
        },
      },
    ],
  };
}

function csv(header: string[], rows: string[][]): string {
  // The generated values hold no comma, quote or line break, so no cell needs quoting.
  return `${[header, ...rows].map((row) => row.join(',')).join('\n')}\n`;
}

function sha256Hex(plain: string): string {
  return createHash('sha256').update(plain, 'utf8').digest('hex');
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A generated roster for runs long enough to interrupt or to fault: CSV files in a folder. */
export interface RosterShape {
  /** Accounts by key; `accountId` adopts an existing one instead of creating it. */
  accounts: { key: string; accountId?: number }[];
  departmentsPerAccount: number;
  agentsPerAccount: number;
  /** Changes every agent's name, to make a second, different roster. */
  nameSuffix?: string;
}

const FIRST_NAMES = [
  'Ana',
  'João',
  'Márcia',
  'Antônio',
  'Luíza',
  'Cauã',
  'Beatriz',
  'Gonçalo',
  'Fátima',
  'Thiago',
];

export function agentEmail(accountKey: string, index: number): string {
  return `agente${index}@${accountKey}.com.br`;
}

export function writeRoster(folder: string, shape: RosterShape): string {
  mkdirSync(folder, { recursive: true });
  const accounts = ['key,account_id,email,main_contact,license_quantity'];
  const departments = ['account,name,description,channels'];
  const agents = ['account,email,name,profile,departments'];
  for (const account of shape.accounts) {
    const licenses = shape.agentsPerAccount + 5;
    accounts.push(
      `${account.key},${account.accountId ?? ''},contato@${account.key}.com.br,Responsável ${account.key},${licenses}`,
    );
    for (let d = 0; d < shape.departmentsPerAccount; d += 1) {
      departments.push(`${account.key},Departamento ${d},Atendimento ${d},chat|audio`);
    }
    for (let a = 0; a < shape.agentsPerAccount; a += 1) {
      const name = `${FIRST_NAMES[a % FIRST_NAMES.length]} ${account.key} ${a}${shape.nameSuffix ?? ''}`;
      const department = `Departamento ${a % Math.max(1, shape.departmentsPerAccount)}`;
      agents.push(
        `${account.key},${agentEmail(account.key, a)},${name},AGENT,${shape.departmentsPerAccount > 0 ? department : ''}`,
      );
    }
  }
  writeFileSync(join(folder, 'accounts.csv'), `${accounts.join('\n')}\n`);
  writeFileSync(join(folder, 'departments.csv'), `${departments.join('\n')}\n`);
  writeFileSync(join(folder, 'agents.csv'), `${agents.join('\n')}\n`);
  return folder;
}

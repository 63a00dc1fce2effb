import { MANIFEST_KINDS, type ManifestKind } from '../model/vocabulary.js';

/**
 * The columns of each kind (CONTRACT §3) and the header spellings accepted
 * for them. Headers are compared after trimming, lower-casing, dropping
 * accents and turning runs of spaces, `-` and `.` into `_`, so `E-mail`,
 * `Licenças`, `Main contact` and `account id` all match.
 *
 * Portuguese aliases beyond the contract's (`nome`, `e-mail`, `telefone`,
 * `departamentos`, `perfil`, `licencas`, `ativo`): `chave` (key), `conta`
 * (account), `id_conta` (account_id), `contato`/`contato_principal`/
 * `responsavel` (main_contact), `site` (url), `codigo_licenca` (license_code),
 * `senha` (password), `descricao` (description), `canais` (channels),
 * `limite_texto`/`limite_de_texto` (text_limit), `departamento` (departments).
 */

export const FIELDS = {
  accounts: [
    'key',
    'account_id',
    'email',
    'main_contact',
    'telefone',
    'url',
    'license_quantity',
    'license_code',
    'status',
    'password',
  ],
  departments: ['account', 'account_id', 'name', 'description', 'status', 'channels'],
  agents: ['account', 'account_id', 'email', 'name', 'profile', 'text_limit', 'departments', 'password'],
} as const satisfies Record<ManifestKind, readonly string[]>;

export type Field = (typeof FIELDS)[ManifestKind][number];

/** Columns that must be present; `account`/`account_id` is checked as "one of" separately. */
export const REQUIRED_FIELDS: Record<ManifestKind, readonly Field[]> = {
  accounts: ['key', 'email', 'main_contact', 'license_quantity'],
  departments: ['name'],
  agents: ['email', 'name'],
};

const ALIASES: Record<string, Field> = {
  nome: 'name',
  e_mail: 'email',
  mail: 'email',
  phone: 'telefone',
  fone: 'telefone',
  departamentos: 'departments',
  departamento: 'departments',
  perfil: 'profile',
  licencas: 'license_quantity',
  licenses: 'license_quantity',
  ativo: 'status',
  situacao: 'status',
  chave: 'key',
  conta: 'account',
  id_conta: 'account_id',
  contato: 'main_contact',
  contato_principal: 'main_contact',
  responsavel: 'main_contact',
  site: 'url',
  codigo_licenca: 'license_code',
  codigo_da_licenca: 'license_code',
  senha: 'password',
  descricao: 'description',
  canais: 'channels',
  limite_texto: 'text_limit',
  limite_de_texto: 'text_limit',
};

/** `  Licenças ` → `licencas`; `E-mail` → `e_mail`. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .trim()
    .toLowerCase()
    .replace(/[\s.-]+/g, '_');
}

/** The field a header names, if it is one of this kind's columns. */
export function fieldOf(kind: ManifestKind, header: string): Field | undefined {
  const normalized = normalizeHeader(header);
  const field = (ALIASES[normalized] ?? normalized) as Field;
  return (FIELDS[kind] as readonly Field[]).includes(field) ? field : undefined;
}

const KIND_NAMES: Record<string, ManifestKind> = {
  accounts: 'accounts',
  departments: 'departments',
  agents: 'agents',
  contas: 'accounts',
  departamentos: 'departments',
  agentes: 'agents',
};

/** The kind a sheet holds, from its name (case-insensitive, Portuguese names accepted). */
export function kindOfSheet(name: string): ManifestKind | undefined {
  return KIND_NAMES[normalizeHeader(name)];
}

/** The kind a CSV file holds, from the start of its name: `agents.csv`, `Agents-2024.csv`, `agentes_sp.csv`. */
export function kindOfFileName(fileName: string): ManifestKind | undefined {
  const normalized = normalizeHeader(fileName);
  const prefix = Object.keys(KIND_NAMES).find((name) => normalized.startsWith(name));
  return prefix === undefined ? undefined : KIND_NAMES[prefix];
}

/** For messages: `accounts, departments or agents`. */
export const KIND_LIST = `${MANIFEST_KINDS.slice(0, -1).join(', ')} or ${MANIFEST_KINDS.at(-1)}`;

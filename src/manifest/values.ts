import type { AccountStatus, Channel, EntityStatus, Profile } from '../model/vocabulary.js';

/**
 * Reading one cell's text as a value of the domain. Each parser returns the
 * value, or an `Invalid` saying what is wrong with the text (without the
 * location, which the caller adds). Vocabulary is compared without case or
 * accents, so `Vídeo`, `ADMINISTRADOR` and `Não` are understood.
 */
export class Invalid {
  constructor(readonly message: string) {}
}

/** A value, or why the text is not one; nothing is allocated for a good value (100k rows × 8 cells). */
export type Parsed<T> = T | Invalid;

const fail = (message: string): Invalid => new Invalid(message);

/** Longer values are cut in messages so one line stays one line. */
const QUOTE_LIMIT = 40;

export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return `"${flat.length > QUOTE_LIMIT ? `${flat.slice(0, QUOTE_LIMIT)}…` : flat}"`;
}

/** Anything outside printable ASCII: only then can accents need removing. */
const NOT_PLAIN_ASCII = /[^ -~]/;

/** `  Não ` → `nao`: how vocabulary words are compared. */
export function vocabularyKey(text: string): string {
  const plain = !NOT_PLAIN_ASCII.test(text) ? text : text.normalize('NFD').replace(/\p{M}/gu, '');
  return plain.trim().toLowerCase();
}

const E_MAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function parseEmail(text: string): Parsed<string> {
  return E_MAIL.test(text) ? text : fail(`${quote(text)} is not a valid e-mail address`);
}

/**
 * A whole number ≥ 0, also when typed as text: `10`, `10.0` and `10,00`
 * are 10. A separator followed by exactly three digits (`1.234`, `1,000`)
 * is refused: in Brazil it separates thousands, elsewhere decimals, and
 * guessing wrong would change a license count a thousandfold.
 */
export function parseWholeNumber(text: string): Parsed<number> {
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(text);
  if (match === null) {
    return fail(
      text.startsWith('-') ? `${quote(text)} is negative; a whole number ≥ 0 is expected` : notWhole(text),
    );
  }
  const fraction = match[2] ?? '';
  if (fraction.length === 3) {
    return fail(`${quote(text)} is ambiguous (thousands or decimals?): write the number without separators`);
  }
  if (!/^0*$/.test(fraction)) return fail(notWhole(text));
  const value = Number(match[1]);
  return Number.isSafeInteger(value) ? value : fail(`${quote(text)} is too large`);
}

function notWhole(text: string): string {
  return `${quote(text)} is not a whole number ≥ 0`;
}

/** An Omnize ID: a whole number ≥ 1. */
export function parseOmnizeId(text: string): Parsed<number> {
  const parsed = parseWholeNumber(text);
  if (!(parsed instanceof Invalid) && parsed >= 1) return parsed;
  return fail(`${quote(text)} is not an Omnize account ID (a whole number ≥ 1)`);
}

const ACTIVE = ['active', 'ativo', 'ativa', '1', 'sim', 's', 'yes', 'y', 'true', 'verdadeiro'];
const INACTIVE = ['inactive', 'inativo', 'inativa', '0', 'nao', 'n', 'no', 'false', 'falso'];
const DELETED = ['deleted', 'excluido', 'excluida'];

/** `active`/`inactive`/`deleted`, or the `ativo` column's 1/0, sim/não, TRUE/FALSE. */
export function parseAccountStatus(text: string): Parsed<AccountStatus> {
  const key = vocabularyKey(text);
  if (DELETED.includes(key)) return 'deleted';
  const status = parseEntityStatus(text);
  if (!(status instanceof Invalid)) return status;
  return fail(`${quote(text)} is not a status: use active, inactive or deleted (or 1/0)`);
}

export function parseEntityStatus(text: string): Parsed<EntityStatus> {
  const key = vocabularyKey(text);
  if (ACTIVE.includes(key)) return 'active';
  if (INACTIVE.includes(key)) return 'inactive';
  return fail(`${quote(text)} is not a status: use active or inactive (or 1/0)`);
}

const PROFILES: Record<string, Profile> = {
  agent: 'AGENT',
  agente: 'AGENT',
  atendente: 'AGENT',
  admin: 'ADMIN',
  administrator: 'ADMIN',
  administrador: 'ADMIN',
  administradora: 'ADMIN',
};

/** AGENT or ADMIN, any case; also the Portuguese `agente`/`atendente` and `administrador`. */
export function parseProfile(text: string): Parsed<Profile> {
  const profile = PROFILES[vocabularyKey(text)];
  return profile === undefined ? fail(`${quote(text)} is not a profile: use AGENT or ADMIN`) : profile;
}

const CHANNELS: Record<string, Channel> = { chat: 'chat', video: 'video', audio: 'audio' };

/** A list cell: items separated by `;`, `,` or `|`, trimmed, empty items dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[;,|]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Any of chat, video, audio (each once, in the order written); an empty cell is the empty list. */
export function parseChannels(text: string): Parsed<Channel[]> {
  const channels: Channel[] = [];
  for (const item of splitList(text)) {
    const channel = CHANNELS[vocabularyKey(item)];
    if (channel === undefined) return fail(`${quote(item)} is not a channel: use chat, video or audio`);
    if (!channels.includes(channel)) channels.push(channel);
  }
  return channels;
}

/**
 * Reading loosely typed JSON the way a Rails server does: numbers may come as
 * strings ("123"), flags as 0/1 or "0"/"1". Each reader returns undefined for
 * a value it cannot accept, so callers choose the error message.
 */

import { CHANNELS, type Channel } from '../model/vocabulary.js';

/** 64 lower-case hex characters: the SHA-256 digest the document asks for ("Plain text signed as SHA256 hash"). */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Absent, null, or a string of only spaces. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A string as sent, or a number turned into text; undefined for anything else. */
export function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The text with surrounding spaces trimmed, or undefined when it is absent, blank or not text. */
export function filledText(value: unknown): string | undefined {
  const text = readText(value)?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** A whole number ≥ 0, given as a number or as a string of digits. */
export function readWholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value)) return Number(value);
  return undefined;
}

/** An object id: a whole number ≥ 1, as a number or a string ("123", as `agents:[…]` sends them). */
export function readId(value: unknown): number | undefined {
  const id = readWholeNumber(value);
  return id !== undefined && id >= 1 ? id : undefined;
}

/** The `ativo` flag: 1/0, "1"/"0" or true/false. */
export function readAtivo(value: unknown): 0 | 1 | undefined {
  if (value === 1 || value === '1' || value === true) return 1;
  if (value === 0 || value === '0' || value === false) return 0;
  return undefined;
}

export function isEmailLike(text: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(text.trim());
}

/** A list of channel names, each exactly `chat`, `video` or `audio`; duplicates dropped. Undefined when any is not. */
export function readChannels(value: unknown): Channel[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const channels: Channel[] = [];
  for (const item of value) {
    if (!(CHANNELS as readonly unknown[]).includes(item)) return undefined;
    if (!channels.includes(item as Channel)) channels.push(item as Channel);
  }
  return channels;
}

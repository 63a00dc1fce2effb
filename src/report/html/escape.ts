import { redactString } from '../../log/redact.js';
import { groupThousands } from '../../thousands.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text made safe for an HTML element or a quoted attribute. Every value the page
 * shows goes through here: e-mails, department names and the API's error strings
 * are the partner's data, and `<script>` in a department name must stay text.
 */
export function escapeHtml(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

/**
 * Text that came from outside the program (the API's error strings, notices): escaped,
 * and with any registered secret masked first, in case an answer ever echoes the token.
 */
export function escapeForeign(value: unknown): string {
  return escapeHtml(redactString(value === undefined || value === null ? '' : String(value)));
}

/** `12345` → `12,345`: counts read at a glance. */
export function formatCount(value: number): string {
  return groupThousands(value);
}

/** `3725000` ms → `1h 2m 5s`; under a minute, seconds with one decimal. Short enough for a tile. */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) return '—';
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(milliseconds / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours}h ${minutes}m ${seconds}s` : `${minutes}m ${seconds}s`;
}

/** A moment as people compare it with logs and cron schedules: `2026-11-29 02:15:00 UTC`. */
export function formatTime(moment: Date): string {
  return Number.isNaN(moment.getTime())
    ? '—'
    : `${moment
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '')} UTC`;
}

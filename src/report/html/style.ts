/**
 * The page's only style sheet, inline: the Content-Security-Policy allows
 * inline styles and nothing from elsewhere. System fonts only, so nothing is
 * fetched. Follows the reader's light or dark setting.
 */
export const STYLE = `
:root { color-scheme: light dark; --text: #1a1a1a; --muted: #5a5a5a; --line: #d9d9d9; --zebra: #f6f6f6;
  --page: #ffffff; --good: #00775a; --bad: #b34700; --info: #005a8c; --warn-row: #fff4e5; }
@media (prefers-color-scheme: dark) {
  :root { --text: #ececec; --muted: #a8a8a8; --line: #3c3c3c; --zebra: #1f1f1f; --page: #121212;
    --good: #3cc49a; --bad: #ff8a4c; --info: #5ab4ee; --warn-row: #2c2116; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; background: var(--page); color: var(--text);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; }
h1 { font-size: 26px; margin: 0 0 6px; }
h1 .when { font-weight: 400; color: var(--muted); font-size: 18px; margin-left: 8px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h2 .count { font-weight: 400; color: var(--muted); font-size: 16px; }
.exit { font-size: 17px; margin: 4px 0; padding: 8px 12px; border-radius: 6px; border-left: 6px solid; }
.exit.good { border-color: var(--good); } .exit.bad { border-color: var(--bad); } .exit.info { border-color: var(--info); }
.stopped { color: var(--bad); font-weight: 600; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(112px, 1fr)); gap: 10px; margin: 12px 0; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 0; }
.tile dt { color: var(--muted); font-size: 13px; }
.tile dd { margin: 0; font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile dd small { display: block; font-size: 12px; font-weight: 400; color: var(--muted); }
.tile.ok dd { color: var(--good); } .tile.failed dd, .tile.unknown dd { color: var(--bad); }
.tile.failed, .tile.unknown { border-color: var(--bad); border-width: 2px; }
.facts, .hint, .more, .empty, .caption { color: var(--muted); }
.more { font-weight: 600; }
.chart { width: 100%; height: auto; display: block; font-size: 12px; }
.chart text { fill: var(--text); } .chart .kind { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.chart text.on-dark { fill: #ffffff; } .chart text.on-light { fill: #1a1a1a; }
.chart .total { font-weight: 600; } .chart .axis { fill: var(--muted); }
.chart .grid { stroke: var(--line); stroke-width: 1; } .chart .axis-line { stroke: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { position: sticky; top: 0; background: var(--page); }
tbody tr:nth-child(even) { background: var(--zebra); }
tr.trouble td:first-child { font-weight: 600; }
.number { text-align: right; font-variant-numeric: tabular-nums; }
td.failed, td.unknown { color: var(--bad); font-weight: 600; }
.target { overflow-wrap: anywhere; } td.account { white-space: nowrap; }
.error { overflow-wrap: anywhere; max-width: 460px; }
.members { margin: 4px 0 0; padding-left: 18px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.badge.failed { background: #D55E00; color: #fff; } .badge.unknown { background: #E69F00; color: #1a1a1a; }
.badge.skipped { background: #9a9a9a; color: #1a1a1a; }
@media print { th { position: static; } body { padding: 0; } }
`;

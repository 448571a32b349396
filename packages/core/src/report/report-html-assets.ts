/** The HTML report's stylesheet: light and dark by the viewer's preference, print-friendly. */
export const reportHtmlStyle = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0;
  --ok: #1a7f37; --bad: #cf222e; --back: #9a6700; --skip: #818b98; --crit: #0550ae; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d;
  --ok: #3fb950; --bad: #ff7b72; --back: #d29922; --skip: #9198a1; --crit: #79c0ff; } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
code { font: 12.5px ui-monospace, monospace; }
.status { font-weight: 600; font-size: 1.1rem; } .status-succeeded, .met { color: var(--ok); }
.status-failed, .missed, .error { color: var(--bad); } .status-rolled-back { color: var(--back); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; } .facts dt { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; } th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { color: var(--muted); font-weight: 600; } tr.total th, tr.total td { font-weight: 600; }
.tag { font-size: 11px; border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; }
.partial { border-left: 4px solid var(--back); padding-left: .75rem; }
pre { white-space: pre-wrap; font-size: 12px; margin: .25rem 0; } .legend { color: var(--muted); font-size: 12px; }
svg text { fill: var(--fg); font: 11px system-ui, sans-serif; } svg .axis { fill: var(--muted); } svg .section { font-weight: 700; }
svg .grid { stroke: var(--line); stroke-dasharray: 2 3; }
svg .bar { stroke: none; } .state-succeeded.bar { fill: var(--ok); } .state-failed.bar { fill: var(--bad); }
.state-rolled-back.bar { fill: var(--back); } .state-skipped.bar { fill: var(--skip); } .waiting.bar { fill-opacity: .45; }
svg .critical { stroke: var(--crit); stroke-width: 2.5; }
.local-time { color: var(--muted); }
@media print { :root { --fg: #000; --bg: #fff; --muted: #444; } body { margin: 0; max-width: none; font-size: 11px; }
  details { display: block; } details > summary { display: none; } details > pre { display: block; }
  section, figure, tr { break-inside: avoid; } }
`;

/** The HTML report's only script: shows each UTC time in the viewer's zone too. No network. */
export const reportHtmlScript = `
for (const time of document.querySelectorAll('time[datetime]')) {
  const date = new Date(time.getAttribute('datetime'));
  if (Number.isNaN(date.getTime())) continue;
  const local = document.createElement('span');
  local.className = 'local-time';
  local.textContent = ' · ' + date.toLocaleString(undefined, { timeZoneName: 'short' });
  time.after(local);
}
`;

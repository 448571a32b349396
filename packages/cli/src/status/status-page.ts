/**
 * The live status page: one self-contained HTML document (no network fetch but its
 * own event stream) that renders each snapshot the server sends over Server-Sent
 * Events. Read-only: it has no form, no button, nothing that writes.
 */
export function statusPageHtml(eventsPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>Failover status</title>
<style>
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #59636e; --line: #d1d9e0; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --ok: #3fb950; --bad: #ff7b72; --warn: #d29922; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); max-width: 960px; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.4rem; margin: 0; } h2 { font-size: 1.05rem; border-bottom: 1px solid var(--line); }
.muted { color: var(--muted); } .ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid var(--line); }
progress { width: 12rem; } code { font: 13px ui-monospace, monospace; }
.data-loss { display: block; margin-left: 1.5rem; color: var(--fg); }
</style>
</head>
<body>
<h1 id="title">Failover status</h1>
<p><span id="status" data-status="waiting">connecting…</span> · <span id="elapsed"></span> <span id="connection" class="muted"></span></p>
<section><h2>Pending approvals</h2><div id="approvals" class="muted">none</div></section>
<section><h2>Running now</h2><div id="running" class="muted">nothing</div></section>
<section><h2>Stages</h2><table><thead><tr><th scope="col">Stage</th><th scope="col">Progress</th><th scope="col">Done</th></tr></thead><tbody id="stages"></tbody></table></section>
<p class="muted">Times are the run's clock, shown in UTC and in your zone. This page is read-only.</p>
<script>
const marks = { waiting: '…', running: '▶', succeeded: '✓', failed: '✗', 'rolled-back': '↩', cancelled: '–' };
const duration = (ms) => { const s = Math.max(0, Math.round(ms / 1000)); const m = Math.floor(s / 60); return m > 0 ? m + 'm ' + String(s % 60).padStart(2, '0') + 's' : s + ' s'; };
const when = (ms) => { const d = new Date(ms); return d.toISOString().slice(11, 19) + ' UTC (' + d.toLocaleTimeString() + ')'; };
function cell(row, value) { const td = document.createElement('td'); td.textContent = value; row.append(td); return td; }
function render(s) {
  document.title = 'Failover ' + s.planId + ': ' + s.status;
  document.getElementById('title').textContent = (s.dryRun ? 'Dry-run ' : 'Failover ') + s.planName;
  const status = document.getElementById('status');
  status.textContent = marks[s.status] + ' ' + s.status + (s.rollingBack ? ' (rolling back)' : '') + ' · ' + s.steps.succeeded + ' of ' + s.steps.total + ' steps done' + (s.steps.failed ? ', ' + s.steps.failed + ' failed' : '');
  status.dataset.status = s.status; status.dataset.done = String(s.steps.succeeded);
  status.className = s.status === 'succeeded' ? 'ok' : s.status === 'failed' || s.status === 'rolled-back' ? 'bad' : '';
  const elapsed = s.startedAt === undefined ? 0 : s.now - s.startedAt;
  const objective = s.rtoObjectiveMs === undefined ? 'no RTO objective' : 'RTO objective ' + duration(s.rtoObjectiveMs) + (elapsed > s.rtoObjectiveMs ? ' — exceeded' : ' — ' + duration(s.rtoObjectiveMs - elapsed) + ' left');
  const el = document.getElementById('elapsed');
  el.textContent = 'elapsed ' + duration(elapsed) + ' against the ' + objective;
  el.className = s.rtoObjectiveMs !== undefined && elapsed > s.rtoObjectiveMs ? 'bad' : '';
  const approvals = document.getElementById('approvals');
  // Text only (textContent, never markup): messages and data-loss lines come from plans and providers.
  approvals.replaceChildren(...s.approvals.map((a) => { const p = document.createElement('p'); p.className = 'warn'; p.dataset.approval = a.stepId;
    const lines = (a.dataLoss || []).map((line) => { const l = document.createElement('span'); l.className = 'data-loss'; l.textContent = line; return l; });
    p.append('‖ ' + a.stepId + ': ' + a.message + ' ', ...lines, '(waiting ' + duration(s.now - a.since) + '). Grant it with: '); const c = document.createElement('code'); c.textContent = a.grant; p.append(c); return p; }));
  if (s.approvals.length === 0) approvals.textContent = 'none';
  const running = document.getElementById('running');
  running.replaceChildren(...s.running.map((r) => { const p = document.createElement('p'); p.dataset.running = r.stepId; p.textContent = '▶ ' + r.stepId + ' (' + r.kind + ') for ' + duration(s.now - r.since) + ', since ' + when(r.since); return p; }));
  if (s.running.length === 0) running.textContent = 'nothing';
  document.getElementById('stages').replaceChildren(...s.stages.map((st) => { const row = document.createElement('tr'); row.dataset.stage = st.id;
    cell(row, st.id); const bar = document.createElement('progress'); bar.max = st.total; bar.value = st.succeeded; cell(row, '').append(bar);
    cell(row, (st.failed ? '✗ ' : st.succeeded === st.total ? '✓ ' : st.running ? '▶ ' : '') + st.succeeded + ' / ' + st.total + (st.failed ? ' (' + st.failed + ' failed)' : '')); return row; }));
}
const source = new EventSource(${JSON.stringify(eventsPath)});
source.addEventListener('snapshot', (event) => render(JSON.parse(event.data)));
source.onopen = () => { document.getElementById('connection').textContent = ''; };
source.onerror = () => { document.getElementById('connection').textContent = '(reconnecting…)'; };
</script>
</body>
</html>
`;
}

/** The dashboard's stylesheet: system fonts, a grid of panels, readable from 1280 px wide. */
export const DASHBOARD_STYLE = `
:root {
  --bg: #f4f5f7; --panel: #fff; --ink: #1d2330; --muted: #667085; --line: #e3e6eb;
  --ok: #1a7f37; --warn: #b35c00; --bad: #c62828; --accent: #3056d3;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); }
header { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: #141a26; color: #fff; }
header h1 { font-size: 16px; margin: 0; font-weight: 600; letter-spacing: .02em; }
header .domains { color: #aab3c5; }
header .right { margin-left: auto; display: flex; gap: 14px; align-items: center; color: #aab3c5; font-size: 12px; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; background: #888; margin-right: 6px; }
.dot.on { background: #3fd26b; box-shadow: 0 0 6px #3fd26b; } .dot.off { background: #e0524f; }
main { max-width: 1440px; margin: 0 auto; padding: 14px 20px 40px; display: grid; gap: 14px;
  grid-template-columns: repeat(12, 1fr); }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
section h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 8px; font-weight: 600; }
.span-12 { grid-column: span 12; } .span-8 { grid-column: span 8; } .span-7 { grid-column: span 7; }
.span-6 { grid-column: span 6; } .span-5 { grid-column: span 5; } .span-4 { grid-column: span 4; }
@media (max-width: 1100px) { .span-8, .span-7, .span-6, .span-5, .span-4 { grid-column: span 12; } }
.kpis { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; grid-column: span 12; }
.kpi { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.kpi .label { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.kpi .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; margin-top: 2px; }
.kpi .sub { font-size: 12px; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.kpi.bad .value { color: var(--bad); } .kpi.ok .value { color: var(--ok); }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th { text-align: left; font-size: 11px; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 4px 6px; }
td { border-bottom: 1px solid #f0f1f4; padding: 5px 6px; vertical-align: top; }
td.num, th.num { text-align: right; }
td.name { max-width: 320px; overflow-wrap: anywhere; }
.empty { color: var(--muted); font-style: italic; padding: 6px 0; }
.pill { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.pill.ok { background: #e6f4ea; color: var(--ok); } .pill.behind { background: #fff4e5; color: var(--warn); }
.pill.failing, .pill.down { background: #fdecea; color: var(--bad); }
.muted { color: var(--muted); }
svg.spark { width: 100%; height: 90px; display: block; }
.dlq-group { border-top: 1px solid var(--line); padding: 8px 0; }
.dlq-group:first-child { border-top: 0; }
.dlq-head { display: flex; gap: 10px; align-items: baseline; }
.dlq-head strong { overflow-wrap: anywhere; }
.error { color: var(--bad); }
button.replay { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 5px;
  padding: 2px 10px; cursor: pointer; font: inherit; font-size: 12px; }
button.replay:hover { background: var(--accent); color: #fff; }
button.replay:disabled { opacity: .5; cursor: default; }
#traces { max-height: 360px; overflow: auto; }
#traces td { font-size: 12px; white-space: nowrap; }
#traces td.err { white-space: normal; color: var(--bad); }
.ev-failed, .ev-dlq { color: var(--bad); font-weight: 600; } .ev-nacked { color: var(--warn); }
.ev-completed, .ev-published { color: var(--ok); }
#toast { position: fixed; right: 20px; bottom: 20px; background: #141a26; color: #fff; padding: 10px 14px;
  border-radius: 6px; opacity: 0; transition: opacity .2s; max-width: 480px; }
#toast.show { opacity: .95; }
`;

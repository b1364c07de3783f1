/**
 * The dashboard's one style sheet, served from /dashboard/static/dashboard.css (the policy allows
 * style only from 'self'). Kept here rather than as a file so the compiled build needs no copying.
 * Colours meet WCAG AA contrast on white; the focus outline is visible for keyboard use.
 */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5560; --line: #c9d1d9; --accent: #0b5cad; --bad: #a4161a; --bg: #ffffff; --soft: #f3f5f7; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0.75rem 1rem; }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; font-size: 1.15rem; }
nav a { margin-right: 1rem; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus, summary:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
.muted, footer { color: var(--muted); }
.text { white-space: pre-wrap; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 0.5rem; background: #fff; padding: 0.25rem 0.5rem; z-index: 1; }
header form { margin-left: auto; }
form.filters { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; padding: 0.75rem; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; }
form.filters label { display: flex; flex-direction: column; font-size: 0.9rem; font-weight: 600; }
input, select, button { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #6b7785; border-radius: 4px; background: #fff; color: var(--ink); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
.table-wrap { overflow-x: auto; margin-top: 1rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); }
th { background: var(--soft); }
dl.fields { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.25rem 1rem; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; white-space: pre-wrap; }
ol.timeline { padding-left: 1.25rem; }
ol.timeline li { margin-bottom: 0.5rem; }
ol.timeline time { font-weight: 600; }
.overdue { color: var(--bad); font-weight: 600; }
.exports a { display: inline-block; margin-right: 1rem; }
/* The overview: figures tables, the change in words, and the charts (SVG drawn on the server). */
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
table.figures th { white-space: nowrap; }
table.figures td .delta { display: block; font-size: 0.9rem; }
.delta { color: var(--muted); }
.now-figures strong { font-size: 1.1rem; }
ul.decisions li { margin-bottom: 0.35rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }
figure.chart { margin: 0; padding: 0.75rem; border: 1px solid var(--line); border-radius: 6px; }
figure.chart h3 { font-size: 1rem; margin: 0 0 0.5rem; }
.chart-svg { display: block; width: 100%; height: auto; max-width: 32rem; }
ul.legend { list-style: none; padding: 0; margin: 0.5rem 0 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; font-size: 0.9rem; }
.swatch { display: inline-block; width: 1.25rem; height: 0; border-top: 3px solid; margin-right: 0.35rem; vertical-align: middle; }
.swatch-0 { border-color: #0b5cad; }
.swatch-1 { border-color: #b34700; border-top-style: dashed; }
.swatch-2 { border-color: #2e7d32; border-top-style: dotted; }
.swatch-3 { border-color: #6a1b9a; border-top-style: dashed; }
.swatch-4 { border-color: #a4161a; border-top-style: dashed; }
.swatch-5 { border-color: #37474f; border-top-style: dotted; }
/* The stand-ups page: the heat map (people by days) scrolls inside its own focusable box; the names stay put. Each
   cell has a symbol as well as a colour, and every pair of colours has at least 4.5:1 contrast. */
.heatmap-wrap { position: relative; max-width: 100%; }
.heatmap-wrap:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
table.heatmap { width: auto; border-collapse: separate; border-spacing: 2px; }
table.heatmap th, table.heatmap td { border-bottom: 0; }
table.heatmap th[scope="row"] { position: sticky; left: 0; z-index: 1; background: var(--bg); white-space: nowrap; }
table.heatmap th.hm-foot { white-space: normal; font-size: 0.8rem; max-width: 6rem; }
table.heatmap thead th { background: var(--bg); }
th.hm-day { font-size: 0.75rem; line-height: 1.15; text-align: center; padding: 0.2rem; font-weight: 600; }
th.hm-weekend { color: var(--muted); }
.hm { min-width: 1.9rem; text-align: center; font-weight: 700; padding: 0.25rem 0.2rem; border-radius: 3px; }
span.hm { display: inline-block; }
.hm a { color: inherit; text-decoration: underline; display: block; }
.hm-answered { background: #cdebd3; color: #0f3d1a; }
.hm-late { background: #fde8a6; color: #5c3d00; }
.hm-skipped { background: #e3e7ec; color: #2d3640; }
.hm-missed { background: #a4161a; color: #ffffff; }
.hm-unreachable { background: #6a1b9a; color: #ffffff; }
.hm-waiting { background: #ffffff; color: #1b1f24; box-shadow: inset 0 0 0 1px #6b7785; }
.hm-none { background: #ffffff; color: #4a5560; }
.hm-off { background: #f3f5f7; color: #4a5560; }
.hm-blocker { box-shadow: inset 0 0 0 3px #1b1f24; }
td.hm-rate { font-size: 0.75rem; text-align: center; padding: 0.2rem; white-space: nowrap; }
.hm-total { text-align: right; white-space: nowrap; }
ul.hm-legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.35rem 1.25rem; font-size: 0.9rem; }
ul.hm-legend .hm { margin-right: 0.35rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  .charts { grid-template-columns: 1fr; }
  table.figures th { white-space: normal; }
  dl.fields { grid-template-columns: 1fr; }
  dl.fields dd { margin-bottom: 0.5rem; }
}
`;

/** The page itself: one HTML file with its styles inline and nothing loaded from anywhere else. */
import { LANES_CSS } from './lanes.ts';
import { el, esc, textEl } from './markup.ts';

export interface Section {
  readonly id: string;
  readonly title: string;
  /** a class for the heading (`bad` for a violated property) */
  readonly cls?: string;
  readonly html: string;
}

export interface Page {
  readonly title: string;
  /** lines under the title: design, source, bound */
  readonly lead: readonly string[];
  /** the command that made the page, shown so it can be run again */
  readonly command: string;
  readonly sections: readonly Section[];
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Helvetica, Arial, sans-serif; font-size: 14px; color: #1f2a3d; margin: 0; background: #fff; }
header { background: #1f2a3d; color: #fff; padding: 14px 24px; }
header h1 { margin: 0 0 6px; font-size: 20px; }
header p { margin: 2px 0; color: #d8dfeb; }
nav { padding: 8px 24px; background: #eef1f6; border-bottom: 1px solid #d5dae3; }
nav a { margin-right: 16px; color: #1f5fbf; text-decoration: none; }
main { padding: 8px 24px 40px; }
section { margin-top: 18px; }
h2 { font-size: 17px; border-bottom: 2px solid #d5dae3; padding-bottom: 4px; }
h2.bad { color: #b00000; border-color: #f0b4b4; }
h3 { font-size: 15px; margin: 14px 0 6px; }
code, pre, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f6f8fb; border: 1px solid #d5dae3; padding: 8px 10px; overflow-x: auto; }
.edge pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.cmd { background: #1f2a3d; color: #e8edf5; padding: 8px 12px; border-radius: 4px; display: block; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid #d5dae3; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #0b6b2c; font-weight: bold; }
.fail-line { color: #b00000; font-weight: bold; }
.fail { color: #fff; background: #cc0000; font-weight: bold; }
.fail a { color: #fff; }
.na { color: #6b7485; }
.complete { color: #0b6b2c; font-weight: bold; }
.incomplete { color: #fff; background: #b45309; font-weight: bold; }
.quiet { color: #6b7485; }
.violation { border-left: 5px solid #cc0000; background: #fff3f3; padding: 6px 12px; margin: 8px 0; }
.violation .vhead { font-weight: bold; color: #b00000; margin: 4px 0; }
.violation pre { background: #fff; white-space: pre-wrap; overflow-wrap: anywhere; }
figure.lanes-figure, figure.graph { margin: 10px 0; overflow-x: auto; }
figcaption { color: #4b5567; font-size: 13px; margin-top: 4px; }
.key-switch { color: #d97706; font-weight: bold; }
.key-bad { color: #cc0000; font-weight: bold; }
table.steps { width: 100%; }
table.steps td { font-size: 13px; }
table.steps th:last-child { width: 24%; }
table.steps th:nth-child(4) { width: 18%; }
table.steps tr.bad td { background: #ffe3e3; }
table.steps tr.switched td { border-top: 2px dashed #d97706; }
table.steps .n { text-align: right; }
table.steps .stack { color: #6b7485; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
table.steps .held { color: #6b2fa3; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
table.steps .ret { color: #0b5c2c; font-size: 12px; }
table.steps ul { margin: 4px 0; padding-left: 18px; }
table.steps .switch-tag { color: #d97706; font-weight: bold; }
table.objects td { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
details { margin: 6px 0; }
summary { cursor: pointer; color: #1f5fbf; }
.edge { border: 1px solid #d5dae3; border-radius: 4px; padding: 6px 10px; margin: 8px 0; }
.edge.bad { border-color: #cc0000; border-width: 2px; }
.edge:target { box-shadow: 0 0 0 3px #1f5fbf; }
.edge h3 { margin: 2px 0 4px; font-family: "DejaVu Sans Mono", monospace; }
.tag { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; font-weight: bold; margin-left: 6px; }
.tag.red { background: #cc0000; color: #fff; }
.tag.grey { background: #e1e5ec; color: #333; }
svg.lockgraph { max-width: 100%; height: auto; }
footer { color: #6b7485; font-size: 12px; padding: 12px 24px; border-top: 1px solid #d5dae3; }
${LANES_CSS}`;

/** The browser tab's title: the command and its subject, within the 70 characters html-validate allows. */
function shortTitle(title: string): string {
  const t = title.split(': ')[0] ?? title;
  return t.length <= 64 ? t : `${t.slice(0, 63)}…`;
}

export function renderPage(p: Page): string {
  const nav = p.sections.map((s) => el('a', { href: `#${s.id}` }, esc(s.title)));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(shortTitle(p.title))}</title>
<style>${CSS}</style>
</head>
<body>
${el('header', {}, textEl('h1', {}, p.title), ...p.lead.map((l) => textEl('p', {}, l)))}
${el('nav', {}, ...nav)}
<main>
${p.sections.map((s) => el('section', { id: s.id }, textEl('h2', { class: s.cls }, s.title), '\n', s.html)).join('\n')}
</main>
${el('footer', {}, 'Made by ', textEl('code', {}, p.command), '. One self-contained page: nothing here is loaded from elsewhere.')}
</body>
</html>
`;
}

/** A command to copy, in a block of its own. */
export function commandBlock(cmd: string): string {
  return textEl('code', { class: 'cmd' }, cmd);
}

export function verdictCell(verdict: string): { html: string; cls: string } {
  return verdict === 'fail'
    ? { html: 'FAIL', cls: 'fail' }
    : verdict === 'pass'
      ? { html: 'pass', cls: 'pass' }
      : { html: esc(verdict), cls: 'na' };
}

/** "complete" or "INCOMPLETE": whether the search covered everything within the bound. */
export function completeCell(complete: boolean | undefined): { html: string; cls: string } {
  if (complete === undefined) return { html: '-', cls: 'na' };
  return complete ? { html: 'complete', cls: 'complete' } : { html: 'INCOMPLETE', cls: 'incomplete' };
}

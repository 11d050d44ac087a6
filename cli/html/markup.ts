/** Escaping and element writing for the report page and its SVG: every text the model or a file supplies goes through here. */

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export type Attrs = Readonly<Record<string, string | number | boolean | undefined>>;

function attrText(attrs: Attrs): string {
  let s = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    s += v === true ? ` ${k}` : ` ${k}="${esc(String(v))}"`;
  }
  return s;
}

/** `<name attrs>children</name>`; children are markup already (escape text with esc). */
export function el(name: string, attrs: Attrs = {}, ...children: readonly string[]): string {
  return `<${name}${attrText(attrs)}>${children.join('')}</${name}>`;
}

/** An element with no content: `<name attrs>` in HTML, `<name attrs/>` in SVG. */
export function voidEl(name: string, attrs: Attrs = {}, svg = false): string {
  return `<${name}${attrText(attrs)}${svg ? '/' : ''}>`;
}

/** An element whose content is plain text. */
export function textEl(name: string, attrs: Attrs, text: string): string {
  return el(name, attrs, esc(text));
}

/** A table of plain-text cells (a cell given as {html} is markup already). */
export type Cell = string | { readonly html: string; readonly cls?: string };

export function table(head: readonly string[], rows: readonly (readonly Cell[])[], cls?: string): string {
  const cell = (tag: string, c: Cell) => (typeof c === 'string' ? textEl(tag, {}, c) : el(tag, { class: c.cls }, c.html));
  return el(
    'table',
    { class: cls },
    el('thead', {}, el('tr', {}, ...head.map((h) => cell('th', h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => cell('td', c))))),
  );
}

/** A shell word as a user types it: quoted only when it has to be. */
export function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The command line that made this page, as a user would type it again. */
export function commandLine(argv: readonly string[] = process.argv.slice(2)): string {
  return ['vfio-dmabuf-model', ...argv].map(shellWord).join(' ');
}

/** A two-column table of facts: a name, and its value. */
export function facts(rows: readonly (readonly [string, Cell])[]): string {
  return el(
    'table',
    { class: 'facts' },
    el(
      'tbody',
      {},
      ...rows.map(([k, v]) =>
        el('tr', {}, textEl('th', { scope: 'row' }, k), typeof v === 'string' ? textEl('td', {}, v) : el('td', { class: v.cls }, v.html)),
      ),
    ),
  );
}

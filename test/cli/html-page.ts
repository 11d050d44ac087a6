/** What every report page must be: valid HTML (html-validate, not a parser that accepts anything) that refers to nothing outside itself. */
import { HtmlValidate } from 'html-validate';

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

/** html-validate's complaints, one line each ("rule line:col message"). */
export async function htmlProblems(html: string): Promise<string[]> {
  const r = await validator.validateString(html, 'page.html');
  return r.results.flatMap((x) => x.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`));
}

/**
 * Everything in the page that would load or link something from elsewhere:
 * a script, a style sheet, an image, a font, a frame, a link out of the page.
 * Namespace names (`xmlns="http://www.w3.org/2000/svg"`) load nothing and are allowed.
 */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  const withoutNs = html.replace(/\sxmlns(:\w+)?="[^"]*"/g, '');
  for (const m of withoutNs.matchAll(/<(script|link|img|iframe|object|embed|source|video|audio|image|use)\b[^>]*>/gi)) found.push(m[0]);
  for (const m of withoutNs.matchAll(/\s(?:src|srcset|poster|data|action|formaction)\s*=\s*"[^"]*"/gi)) found.push(m[0]);
  for (const m of withoutNs.matchAll(/\s(?:xlink:)?href\s*=\s*"([^"]*)"/gi)) if (!(m[1] ?? '').startsWith('#')) found.push(m[0]);
  for (const m of withoutNs.matchAll(/url\(\s*(?!['"]?#)[^)]*\)/gi)) found.push(m[0]);
  for (const m of withoutNs.matchAll(/@import|@font-face|https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//gi)) found.push(m[0]);
  return found;
}

/** Every in-page link's target exists: an edge links to its witness, a box to its step row. */
export function danglingLinks(html: string): string[] {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  return [...html.matchAll(/\s(?:xlink:)?href="#([^"]*)"/g)].map((m) => m[1] as string).filter((id) => !ids.has(id));
}

/**
 * Patches as a reviewer receives them: an mbox (a thread or series saved from
 * the list, several messages), `git format-patch` files, a single saved mail,
 * or a bare diff. Each message becomes its subject, commit id, place in the
 * series and diff text; the diff itself is parsed by parse-diff (hunks.ts).
 */

export interface PatchMail {
  /** the Subject with its [PATCH ...] tags, as the list shows it */
  readonly subject: string;
  /** the Subject without tags: what the commit is called */
  readonly title: string;
  /** the commit id: format-patch's `From <sha>` line, or a stable backport's "commit <sha> upstream" */
  readonly commit: string | null;
  readonly messageId: string | null;
  /** [PATCH n/m]: n (0 for a cover letter), or null when untagged */
  readonly number: number | null;
  readonly cover: boolean;
  /** the diff part of the body ('' when it has none) */
  readonly diff: string;
}

/** The From_ line that starts each message of an mbox (format-patch: `From <sha> Mon Sep 17 00:00:00 2001`). */
const FROM_LINE = /^From (\S+) +[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d \d{4}\s*$/;
const SHA = /^[0-9a-f]{40}$/;
const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]*:/;

/** The messages of a file: split at From_ lines, or the whole file as one message. */
export function splitMessages(text: string): { fromLine: string | null; text: string }[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const starts = lines.flatMap((l, i) => (FROM_LINE.test(l) ? [i] : []));
  if (starts.length === 0) return [{ fromLine: null, text: lines.join('\n') }];
  return starts.map((s, j) => ({
    fromLine: lines[s] as string,
    // mboxrd escapes body lines that begin with "From " as ">From "
    text: lines
      .slice(s + 1, starts[j + 1] ?? lines.length)
      .map((l) => l.replace(/^>(>*From )/, '$1'))
      .join('\n'),
  }));
}

/** RFC 2047 encoded words (=?UTF-8?q?...?= and =?UTF-8?B?...?=), as list software writes non-ASCII subjects. */
function decodeWords(s: string): string {
  return s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) => {
    const bytes =
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : Buffer.from(
            data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          );
    return bytes.toString('utf8');
  });
}

function decodeQuotedPrintable(s: string): string {
  const latin = s.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return Buffer.from(latin, 'latin1').toString('utf8');
}

/** Headers (unfolded, lower-case names) and body of one message; a text with no header block is all body. */
function headersAndBody(text: string): { headers: Map<string, string>; body: string } {
  const lines = text.split('\n');
  const headers = new Map<string, string>();
  if (!HEADER_LINE.test(lines[0] ?? '')) return { headers, body: text };
  let i = 0;
  let last = '';
  for (; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l === '') break;
    if (/^[ \t]/.test(l) && last) headers.set(last, `${headers.get(last)} ${l.trim()}`);
    else {
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(l);
      if (!m) return { headers: new Map(), body: text };
      last = (m[1] as string).toLowerCase();
      if (!headers.has(last)) headers.set(last, m[2] as string);
    }
  }
  let body = lines.slice(i + 1).join('\n');
  const cte = headers.get('content-transfer-encoding')?.toLowerCase();
  if (cte === 'quoted-printable') body = decodeQuotedPrintable(body);
  else if (cte === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { headers, body };
}

/**
 * The diff of a body: from its first `diff --git` (or, as quilt writes it,
 * `--- a/...` followed by `+++ `) up to the signature line `-- `.
 */
export function diffPart(body: string): string {
  const lines = body.split('\n');
  const start = lines.findIndex((l, i) => l.startsWith('diff --git ') || (/^--- \S/.test(l) && (lines[i + 1] ?? '').startsWith('+++ ')));
  if (start < 0) return '';
  let end = lines.indexOf('-- ', start);
  if (end < 0) end = lines.length;
  return `${lines.slice(start, end).join('\n')}\n`;
}

function commitOf(fromLine: string | null, body: string): string | null {
  const sender = fromLine ? (FROM_LINE.exec(fromLine)?.[1] ?? '') : '';
  if (SHA.test(sender)) return sender;
  // stable backports: "commit <sha> upstream." or "[ Upstream commit <sha> ]"
  const m = /^(?:commit ([0-9a-f]{40}) upstream\.?|\[ Upstream commit ([0-9a-f]{40}) \])\s*$/im.exec(body);
  return m ? ((m[1] ?? m[2]) as string) : null;
}

/** Every message of a file, as patches (with or without a diff: a cover letter has none). */
export function readMails(text: string, fallbackSubject: string): PatchMail[] {
  return splitMessages(text).map(({ fromLine, text: msg }) => {
    const { headers, body } = headersAndBody(msg);
    const subject = decodeWords(headers.get('subject') ?? '').trim() || fallbackSubject;
    const tags = /^((?:\s*\[[^\]]*\])+)\s*(.*)$/.exec(subject);
    const tagText = tags ? (tags[1] as string) : '';
    const title = (tags ? (tags[2] as string) : subject).trim();
    const n = /(\d+)\/(\d+)\s*\]/.exec(tagText);
    const number = n ? Number(n[1]) : null;
    const diff = diffPart(body);
    return {
      subject,
      title,
      commit: commitOf(fromLine, body),
      messageId: headers.get('message-id')?.replace(/^<|>$/g, '') ?? null,
      number,
      cover: number === 0 && diff === '',
      diff,
    };
  });
}

/** A reply (Re: ...) in a saved thread: not a patch of the series, even when it quotes one. */
export const isReply = (m: PatchMail): boolean => /^\s*(re|aw|sv|antw)\s*:/i.test(m.subject);

/**
 * A patch series as the model sees it: which table entries each patch
 * concerns (by the kernel function they model), and which changed functions
 * the model does not have, with the modelled functions nearest to them by call.
 */
import { kernelFunctionOf } from '../model/dmabuf/kernel-functions.ts';
import { type DiffFunctions, diffFunctions, type FunctionChange, type OutsideChange } from './hunks.ts';
import { isReply, type PatchMail, readMails } from './mail.ts';

/** Input that holds no usable patch: the message names the file. */
export class PatchError extends Error {}

export interface SeriesPatch {
  readonly mail: PatchMail;
  /** the file it came from, as given */
  readonly file: string;
  readonly changes: DiffFunctions;
}

export interface Series {
  /** the cover letter's subject without its tags, if the series has one */
  readonly cover: string | null;
  readonly patches: readonly SeriesPatch[];
}

/** Reads patch files (each an mbox, format-patch output, a saved mail or a bare diff) in the order given. */
export function readSeries(inputs: readonly { file: string; text: string }[]): Series {
  let cover: string | null = null;
  const patches: SeriesPatch[] = [];
  for (const { file, text } of inputs) {
    if (text.includes('\u0000')) throw new PatchError(`${file} is not a patch: it is a binary file`);
    const mails = readMails(text, file).filter((m) => !isReply(m));
    const found: SeriesPatch[] = [];
    for (const mail of mails) {
      if (mail.cover) cover ??= mail.title;
      if (mail.diff === '') continue;
      const changes = diffFunctions(mail.diff);
      if (changes.functions.length === 0 && changes.outside.length === 0) continue;
      found.push({ mail, file, changes });
    }
    if (found.length === 0 && !mails.some((m) => m.cover))
      throw new PatchError(`no patch in ${file}: no diff (a "diff --git" or "--- a/" line followed by hunks) was found`);
    // a series saved in any order is read in its own order, [PATCH 1/N] first
    if (found.every((p) => p.mail.number !== null)) found.sort((a, b) => (a.mail.number as number) - (b.mail.number as number));
    patches.push(...found);
  }
  if (patches.length === 0) throw new PatchError(`no patch in ${inputs.map((i) => i.file).join(', ')}: only a cover letter`);
  return { cover, patches };
}

/** How a patch is named in the generated file: commit id and title, else the subject as posted. */
export function patchRef(p: SeriesPatch): string {
  return p.mail.commit ? `${p.mail.commit.slice(0, 12)} ("${p.mail.title}")` : p.mail.subject;
}

export interface Touch {
  readonly patch: SeriesPatch;
  readonly change: FunctionChange;
}

export interface Plan {
  /** table entries to replace, in table order, with the changes to the kernel function each models */
  readonly replace: readonly { entry: string; kernel: string; touches: readonly Touch[] }[];
  /** changed functions without a table entry */
  readonly notModelled: readonly { name: string; touches: readonly Touch[]; nearest: readonly string[] }[];
  readonly outside: readonly { patch: SeriesPatch; change: OutsideChange }[];
}

/** What `series` changes in a design whose table entries are `entries`. */
export function planFor(series: Series, entries: readonly string[]): Plan {
  const byKernel = new Map<string, string[]>();
  for (const e of entries) {
    const k = kernelFunctionOf(e);
    byKernel.set(k, [...(byKernel.get(k) ?? []), e]);
  }
  const touchesOf = new Map<string, Touch[]>();
  const outside: { patch: SeriesPatch; change: OutsideChange }[] = [];
  for (const patch of series.patches) {
    for (const change of patch.changes.functions) touchesOf.set(change.name, [...(touchesOf.get(change.name) ?? []), { patch, change }]);
    for (const change of patch.changes.outside) outside.push({ patch, change });
  }
  // in the order the series first changes them, as a reviewer reads it
  const order = [...touchesOf.keys()];
  const replace = entries
    .filter((e) => touchesOf.has(kernelFunctionOf(e)))
    .map((entry) => ({ entry, kernel: kernelFunctionOf(entry), touches: touchesOf.get(kernelFunctionOf(entry)) as Touch[] }))
    .sort((a, b) => order.indexOf(a.kernel) - order.indexOf(b.kernel) || Number(b.entry === b.kernel) - Number(a.entry === a.kernel));
  const notModelled = [...touchesOf]
    .filter(([name]) => !byKernel.has(name))
    .map(([name, touches]) => {
      const near = new Set<string>();
      // the modelled functions its new lines call
      for (const t of touches) for (const c of t.change.calls) for (const e of byKernel.get(c) ?? []) near.add(e);
      // the modelled functions whose changes elsewhere in the series call it
      for (const [other, ts] of touchesOf)
        if (byKernel.has(other) && ts.some((t) => t.change.calls.includes(name))) for (const e of byKernel.get(other) ?? []) near.add(e);
      return { name, touches, nearest: [...near].sort() };
    });
  return { replace, notModelled, outside };
}

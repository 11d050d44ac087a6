/** `variant new`: a variant module to edit, from a posted patch series or as a typed skeleton. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { Args } from '../args.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { out, readInput, shown } from '../io.ts';
import { resolveDesign } from '../setup.ts';

const PROG = 'vfio-dmabuf-model';

/**
 * Creates `path` with `text`, failing if anything is already there (O_EXCL):
 * a reviewer's edited design is never overwritten.
 */
function createNew(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`--output ${path} already exists (variant new never overwrites a file)`);
    const why: Record<string, string> = {
      ENOENT: 'its directory does not exist',
      EACCES: 'permission denied',
      EISDIR: 'it is a directory',
    };
    throw new UsageError(`cannot create --output ${path}: ${(code && why[code]) || code || 'unwritable'}`);
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** The design's name from the output file: `my-design.ts` -> my-design. */
function nameFrom(output: string): string {
  const name = basename(output).replace(/\.(ts|mts|js|mjs)$/, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new UsageError(`--output ${output}: the file name gives the design's name, so use letters, digits, '.', '_' or '-'`);
  return name;
}

export const variant: Command = {
  spec: {
    name: 'variant',
    brief: 'write a new variant module: from a patch series, or a typed skeleton',
    summary:
      "Writes a variant module to edit. With --from-patch, it reads a patch series (an mbox, `git format-patch` files, saved mails or bare diffs) and, for every kernel function the series changes that the base design models, copies the base's model function under the C hunks that change it; changed functions the model lacks are listed at the top of the file, marked not modelled. As written, the file is the base design with identical replacements: it checks as the base does. Without --from-patch, a skeleton with one example replacement.",
    positionals: [{ name: 'ACTION', help: 'what to do', choices: ['new'] }],
    flags: [
      {
        name: 'from-patch',
        value: 'FILE',
        list: true,
        help: 'patch files, in series order (a cover letter [PATCH 0/N] gives the summary)',
      },
      {
        name: 'base',
        value: 'NAME|PATH',
        help: 'the design to start from: a built-in design or a variant module path',
        default: 'upstream-7.1',
      },
      { name: 'output', value: 'FILE', help: 'the module to write (required; never overwritten); its name is the design name' },
    ],
    notes: [
      'Commit ids come from `git format-patch`\'s "From <sha>" line, or a stable backport\'s "commit <sha> upstream"; a mail without one is named by its subject and Message-ID.',
      'exit status: 0 written, 2 usage or input error (a missing or unreadable patch, no diff in it, an unknown base, an existing --output).',
    ],
    examples: [
      'vfio-dmabuf-model variant new --from-patch 0001-vfio-pci-fix.patch --output my-design.ts',
      'vfio-dmabuf-model variant new --from-patch series.mbox --base before-kref-underflow --output review.ts',
      'vfio-dmabuf-model variant new --output my-design.ts',
    ],
  },

  async run(args: Args): Promise<number> {
    const output = args.get('output');
    if (output === undefined)
      throw new UsageError(`missing --output FILE (usage: ${PROG} variant new [--from-patch FILE...] --output FILE)`);
    const name = nameFrom(output);
    // loaded here, not at start-up: the source parser is needed by this command only
    const { generateVariant } = await import('../../patch/generate.ts');
    const { SourceError } = await import('../../patch/model-source.ts');
    const { PatchError, patchRef, readSeries } = await import('../../patch/series.ts');
    const files = args.raw('from-patch');
    const base = await resolveDesign(args.get('base') ?? 'upstream-7.1');
    let series = null;
    try {
      series = files.length ? readSeries(files.map((file) => ({ file, text: readInput(file, 'patch') }))) : null;
    } catch (e) {
      if (e instanceof PatchError) throw new UsageError(e.message);
      throw e;
    }
    const command = [
      PROG,
      'variant',
      'new',
      ...files.flatMap((f) => ['--from-patch', f]),
      ...(args.has('base') ? ['--base', args.get('base') as string] : []),
      '--output',
      output,
    ].join(' ');
    let generated: Awaited<ReturnType<typeof generateVariant>>;
    try {
      generated = await generateVariant({ series, base, name, output, command });
    } catch (e) {
      if (e instanceof SourceError) throw new UsageError(`cannot copy ${base.design.name}'s model: ${e.message}`);
      throw e;
    }
    createNew(output, generated.text);
    const { plan } = generated;
    out(`wrote ${shown(output)}: design ${name}, from ${base.design.name}`);
    if (series) {
      for (const p of series.patches) out(`  patch ${patchRef(p)}`);
      for (const r of plan.replace)
        out(
          `  replace ${r.entry}${r.entry === r.kernel ? '' : ` (part of ${r.kernel})`}: ${base.design.name}'s model, to edit to follow the C`,
        );
      for (const p of generated.primitives) out(`  ${p}: an engine primitive, not copied`);
      for (const n of plan.notModelled)
        out(`  not modelled: ${n.name} (nearest modelled by call: ${n.nearest.length ? n.nearest.join(', ') : 'none'})`);
      if (plan.outside.length)
        out(`  outside any function: ${plan.outside.length} hunk${plan.outside.length === 1 ? '' : 's'} (listed in the file)`);
    } else out('  a skeleton with one example replacement, as the base has it');
    out(`next: edit ${shown(output)}, then ${PROG} check --variant ${shown(output)}`);
    return EXIT.pass;
  },
};

/** `matrix`: the property × variant table (docs/matrix.md), and with --write the committed files and corpus. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinDesigns } from '../../model/variants/index.ts';
import { computeMatrix } from '../../properties/matrix.ts';
import { renderMatrixMarkdown } from '../../properties/matrix-doc.ts';
import { MATRIX_COMMAND } from '../../properties/matrix-files.ts';
import type { Args } from '../args.ts';
import { WriteError, writeFileAtomic } from '../atomic.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { commandLine } from '../html/markup.ts';
import { matrixPage } from '../html/matrix-page.ts';
import { checkHtmlPath, HTML_FLAG, pageOutcome, writePage } from '../html/write.ts';
import { note, out, printJson } from '../io.ts';
import { writeMatrixFiles } from '../matrix-files.ts';
import { ProgressLine } from '../progress.ts';
import { JSON_FORMAT } from '../report-json.ts';
import { didYouMean } from '../suggest.ts';

/** The repository this command line belongs to (docs/ and counterexamples/ live there). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const matrix: Command = {
  spec: {
    name: 'matrix',
    brief: 'the property × variant table (docs/matrix.md) and the counterexample corpus',
    summary:
      'Checks every built-in design exhaustively at its own bound and prints the property × variant table (the text of docs/matrix.md); --write also writes docs/matrix.md, docs/matrix.json, docs/properties.md and the counterexample corpus counterexamples/<variant>/<property>.json.',
    positionals: [],
    flags: [
      { name: 'json', help: 'print the rows as JSON ({format, rows: [...]}, docs/schemas/matrix.schema.json) instead of Markdown' },
      { name: 'variant', value: 'NAME', list: true, help: 'only these built-in designs (not with --write)', default: 'all' },
      { name: 'write', help: 'write the matrix files and the corpus into the repository (replacing the corpus of each design)' },
      HTML_FLAG,
    ],
    notes: [
      'Each design runs at the default bound with its own overrides and primary commands (`list variants --json` shows them); for a derived design, upstream-7.1 is checked at the same bound. Deterministic: the same model gives the same table.',
      'exit status: 0 (the table is the result; failing cells are expected for the historical and broken designs); never 4, as every search runs to its end (no time limit); 2 usage error, or --write could not write a file (each file is written whole or not at all; the table is printed anyway, then `not saved: <reason>`).',
    ],
    examples: ['vfio-dmabuf-model matrix', 'vfio-dmabuf-model matrix --variant before-double-free --json', MATRIX_COMMAND],
  },

  async run(args: Args): Promise<number> {
    const all = builtinDesigns();
    const names = args.list('variant');
    for (const n of names)
      if (!all.some((d) => d.name === n))
        throw new UsageError(
          `unknown variant "${n}"${didYouMean(
            n,
            all.map((d) => d.name),
          )} (variants: ${all.map((d) => d.name).join(', ')})`,
        );
    const write = args.has('write');
    if (write && names.length) throw new UsageError('--write regenerates the whole matrix: drop --variant');
    const designs = names.length ? all.filter((d) => names.includes(d.name)) : all;
    const html = checkHtmlPath(args.get('html'));
    const progress = new ProgressLine();
    let done = 0;
    const result = computeMatrix(designs, (msg) => {
      done++;
      progress.update(`matrix: ${done}/${designs.length} designs · ${msg}`, true);
    });
    progress.clear();
    let notSaved: string | null = null;
    if (write) {
      const files = { result, markdown: renderMatrixMarkdown(result, designs, MATRIX_COMMAND) };
      try {
        const written = writeMatrixFiles(REPO_ROOT, files, writeFileAtomic);
        note(
          `wrote ${written.length} files under ${REPO_ROOT}: ${written.slice(0, 3).join(', ')} and ${written.length - 3} counterexamples`,
        );
      } catch (e) {
        if (!(e instanceof WriteError)) throw e;
        notSaved = `${e.path}: ${e.reason}`;
      }
    }
    const pageNotSaved = html ? writePage(html, matrixPage({ result, command: commandLine() })) : null;
    if (args.has('json')) printJson({ format: JSON_FORMAT, rows: result.rows });
    else out(renderMatrixMarkdown(result, designs, MATRIX_COMMAND));
    // the table is still the result, but the files it was asked to write are not all there: a failure (no violation is found here)
    if (notSaved !== null) (args.has('json') ? note : out)(`not saved: ${notSaved}`);
    return pageOutcome(notSaved === null ? EXIT.pass : EXIT.usage, pageNotSaved, args.has('json') ? 'stderr' : 'stdout');
  },
};

/**
 * `npm run mutation [-- TARGET...] [--concurrency N] [--force]`: StrykerJS over
 * one folder's fast unit tests, then the score of each file and folder.
 *
 *   TARGET           a folder with a `stryker/<folder>.config.json` (`kernel`, `checker`)
 *                    or one file in it (`kernel/rwsem.ts`); none: every folder, one after another
 *   --concurrency N  Stryker's test-runner processes (default 2: the machine has 2 cores)
 *   --force          test every mutant again, ignoring the incremental file
 *
 * Every run, of a folder or of one file, reads and rewrites the folder's
 * incremental file (`stryker/incremental-<folder>.json`, committed): Stryker
 * (9.6.1, IncrementalDiffer) carries the results of files outside `mutate` over
 * unchanged, so file runs accumulate into it one after another. Stryker always
 * runs under `nice`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Report, scoreTable } from './score.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strykerBin = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');

interface Target {
  readonly folder: string;
  /** one file of the folder, or the whole folder */
  readonly file?: string;
}

function fail(message: string): never {
  process.stderr.write(`mutation: ${message}\n`);
  process.exit(2);
}

function configPath(folder: string): string {
  return join('stryker', `${folder}.config.json`);
}

function folders(): string[] {
  return readdirSync(join(root, 'stryker'))
    .filter((f) => f.endsWith('.config.json'))
    .map((f) => f.slice(0, -'.config.json'.length))
    .sort();
}

/**
 * A config is named by the folder it mutates, its slashes as dashes: `checker-compiled`
 * mutates checker/compiled/ (against tests with the compile plugin), `checker` the rest of
 * checker/. A path belongs to the config of its longest such prefix; a folder target runs its
 * own config and those of its subfolders.
 */
function parseTarget(arg: string): Target[] {
  const path = arg.replace(/\/+$/, '');
  const parts = path.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, parts.length - i).join('-'));
  const folder = prefixes.find((f) => existsSync(join(root, configPath(f))));
  if (folder === undefined) fail(`no ${configPath(parts[0] as string)} for '${arg}' (folders: ${folders().join(', ')})`);
  if (folder === parts.join('-'))
    return folders()
      .filter((f) => f === folder || f.startsWith(`${folder}-`))
      .map((f) => ({ folder: f }));
  if (!existsSync(join(root, path))) fail(`no file ${path}`);
  return [{ folder, file: path }];
}

function parseArgs(argv: readonly string[]): { targets: Target[]; concurrency: number; force: boolean } {
  const targets: Target[] = [];
  let concurrency = 2;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--concurrency') {
      const v = argv[++i];
      if (v === undefined || !/^[1-9]\d*$/.test(v)) fail(`--concurrency needs a positive integer, not '${v ?? ''}'`);
      concurrency = Number(v);
    } else if (a === '--force') force = true;
    else if (a.startsWith('-')) fail(`unknown option ${a} (options: --concurrency N, --force)`);
    else targets.push(...parseTarget(a));
  }
  return { targets: targets.length > 0 ? targets : folders().map((folder) => ({ folder })), concurrency, force };
}

type Config = Record<string, unknown> & { jsonReporter?: { fileName?: string } };

/** The config file to give Stryker, and where its JSON report will be. */
function prepare(t: Target): { config: string; report: string } {
  const config = configPath(t.folder);
  const base = JSON.parse(readFileSync(join(root, config), 'utf8')) as Config;
  if (!t.file) return { config, report: base.jsonReporter?.fileName ?? 'reports/mutation/mutation.json' };
  const tag = t.file.replace(/[/\\]/g, '-');
  const out = join('reports', 'mutation', 'files');
  mkdirSync(join(root, out), { recursive: true });
  const { $schema: _, ...rest } = base;
  // the folder's incrementalFile stays: the other files' results are carried over, this one's added
  const derived = {
    ...rest,
    mutate: [t.file],
    jsonReporter: { fileName: join(out, `${tag}.json`) },
    htmlReporter: { fileName: join(out, `${tag}.html`) },
  };
  const file = join(out, `${tag}.config.json`);
  writeFileSync(join(root, file), `${JSON.stringify(derived, null, 2)}\n`);
  return { config: file, report: derived.jsonReporter.fileName };
}

/** The incremental file a (possibly derived) config names. */
function incrementalFileOf(config: string): string {
  const c = JSON.parse(readFileSync(join(root, config), 'utf8')) as { incrementalFile?: string };
  return c.incrementalFile ?? 'reports/stryker-incremental.json';
}

/** The committed incremental file names no path of the machine it ran on: Stryker writes its absolute projectRoot. */
function keepPortable(file: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  const fixed = text.replace(/"projectRoot": "[^"]*"/, '"projectRoot": "."');
  if (fixed !== text) writeFileSync(file, fixed);
}

function run(t: Target, concurrency: number, force: boolean): boolean {
  const { config, report } = prepare(t);
  const args = [
    '-n',
    '10',
    process.execPath,
    strykerBin,
    'run',
    config,
    '--concurrency',
    String(concurrency),
    ...(force ? ['--force'] : []),
  ];
  process.stdout.write(`mutation: ${t.file ?? `${t.folder}/`} (${config}, concurrency ${concurrency})\n`);
  const started = Date.now();
  const r = spawnSync('nice', args, { cwd: root, stdio: 'inherit' });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (r.status !== 0) {
    process.stderr.write(`mutation: Stryker failed on ${t.file ?? t.folder} (exit ${r.status ?? r.signal}) after ${seconds} s\n`);
    return false;
  }
  keepPortable(join(root, incrementalFileOf(config)));
  const table = scoreTable(JSON.parse(readFileSync(join(root, report), 'utf8')) as Report);
  const scope = t.file ? `${t.file}, with the other files' results carried over in the incremental file` : `${t.folder}/`;
  process.stdout.write(`\nmutation score of ${scope} (${seconds} s):\n${table}\n\n`);
  return true;
}

/**
 * A folder measured by several configs (checker/ by `checker` and `checker-compiled`): its
 * total over their incremental files, which hold every file measured so far.
 */
function folderTotal(top: string): void {
  const configs = folders().filter((f) => f.split('-')[0] === top);
  if (configs.length < 2) return;
  const files: Record<string, Report['files'][string]> = {};
  for (const f of configs) {
    const inc = join(root, incrementalFileOf(configPath(f)));
    if (existsSync(inc)) Object.assign(files, (JSON.parse(readFileSync(inc, 'utf8')) as Report).files);
  }
  process.stdout.write(
    `mutation score of ${top}/ over ${configs.map((f) => incrementalFileOf(configPath(f))).join(', ')}:\n${scoreTable({ files })}\n\n`,
  );
}

const { targets, concurrency, force } = parseArgs(process.argv.slice(2));
let ok = true;
for (const t of targets) ok = run(t, concurrency, force) && ok;
for (const top of new Set(targets.map((t) => t.folder.split('-')[0] as string))) folderTotal(top);
process.exit(ok ? 0 : 1);

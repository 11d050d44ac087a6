/**
 * Coverage (TLC's -coverage): every check counts, per model function, calls,
 * executions that ran it and executions in which another thread ran inside
 * its window. A function the design replaces that never ran makes a check
 * that found nothing `unexercised` (exit 4), not a pass.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, tempDir } from './helpers.ts';
import { here } from './here.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const checkSchema = ajv.compile(JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', 'check.schema.json'), 'utf8')));

// biome-ignore lint/suspicious/noExplicitAny: a report read as JSON
function report(stdout: string): any {
  const j = JSON.parse(stdout);
  if (!checkSchema(j)) throw new Error(`check --json does not fit its schema: ${ajv.errorsText(checkSchema.errors)}`);
  return j;
}

/** upstream-7.1 with its own dma_buf_export as a replacement (one step: no window another thread could enter): the export ioctl runs it only with exports >= 1 */
const MODULE = `export default function (api: any) {
  return api.defineVariant(api.designs['upstream-7.1'], {
    name: 'export-copy', summary: 's', source: 's', differences: [],
    replace: { dma_buf_export: api.upstreamFunctions.dma_buf_export },
  });
}
`;

describe('coverage', () => {
  let dir: string;
  let module: string;
  beforeAll(() => {
    dir = tempDir();
    module = join(dir, 'export-copy.ts');
    writeFileSync(module, MODULE);
  });

  it('the --html page has the coverage table, and says the replaced function never ran', async () => {
    const page = join(dir, 'check.html');
    const r = await here(['check', '--variant', module, '--mode', 'exhaustive', '--out', dir, '--html', page]);
    expect(r.code, r.stderr).toBe(4);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('Coverage by function: UNEXERCISED');
    expect(html).toContain('the design changes dma_buf_export, which never ran');
    expect(html).toMatch(/<td>dma_buf_export<\/td><td>replaced<\/td><td class="num">0<\/td>/);
    // every function of the design has its row; one the default bound runs shows its calls
    expect(html).toMatch(/<td>vfio_pci_core_close_device<\/td><td><\/td><td class="num">[1-9][\d,]*<\/td>/);
  }, 120_000);

  it('a replaced function that never ran: unexercised, exit 4, and the JSON says which', async () => {
    const [text, json] = await Promise.all([
      here(['check', '--variant', module, '--mode', 'exhaustive', '--out', dir]),
      here(['check', '--variant', module, '--mode', 'exhaustive', '--out', dir, '--json']),
    ]);
    expect(text.code, text.stderr).toBe(4);
    expect(text.stdout).toMatch(/^dma_buf_export +replaced +0 +0 +0 +NEVER RAN$/m);
    expect(text.stdout).toContain('UNEXERCISED: no violation found, but dma_buf_export never ran at this bound');
    expect(json.code).toBe(4);
    const j = report(json.stdout);
    expect(j.verdict).toBe('unexercised');
    expect(j.coverage).toMatchObject({ mode: 'exhaustive', unexercised: ['dma_buf_export'] });
    expect(j.coverage.functions[0]).toEqual({
      name: 'dma_buf_export',
      kind: 'function',
      change: 'replaced',
      replaced: true,
      calls: 0,
      executions: 0,
      raced: 0,
      flag: 'never ran',
    });
  });

  it('at a bound that runs it: a pass, with its calls and executions, flagged when no other thread ran inside it', async () => {
    const r = await here(['check', '--variant', module, '--mode', 'exhaustive', '--bound', 'exports=1', '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = report(r.stdout);
    expect(j.verdict).toBe('pass');
    const row = j.coverage.functions[0];
    expect(row).toMatchObject({ name: 'dma_buf_export', replaced: true, flag: 'never raced', raced: 0 });
    expect(row.calls).toBeGreaterThan(0);
    expect(row.executions).toBeGreaterThanOrEqual(row.calls > 0 ? 1 : 0);
  });

  it('--coverage lists every function; a raced one has its races counted; random mode counts its runs', async () => {
    const [all, random] = await Promise.all([
      here(['check', '--mode', 'exhaustive', '--coverage', '--out', dir]),
      here(['check', '--mode', 'random', '--runs', '300', '--seed', '4', '--out', dir, '--json']),
    ]);
    expect(all.code, all.stderr).toBe(0);
    const move = /^vfio_pci_dma_buf_move +([\d,]+) +([\d,]+) +([\d,]+)/m.exec(all.stdout);
    expect(move, all.stdout.slice(-3000)).not.toBeNull();
    expect(Number((move?.[3] ?? '0').replace(/,/g, ''))).toBeGreaterThan(0);
    expect(all.stdout).toMatch(/^vfio_pci_core_mmap +0 +0 +0 +NEVER RAN$/m);
    const j = report(random.stdout);
    expect(j.coverage.mode).toBe('random');
    expect(j.coverage.executions).toBe(300);
    // upstream-7.1 replaces nothing: nothing can be unexercised
    expect(j.coverage.unexercised).toEqual([]);
    expect(j.verdict).toBe('pass');
  });
});

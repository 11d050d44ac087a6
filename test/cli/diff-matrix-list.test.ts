/** `diff`, `matrix`, `list` and `--help`. */
import { describe, expect, it } from 'vitest';
import { expectUsageError } from './helpers.ts';
import { here } from './here.ts';

describe('diff', () => {
  it('a lock inversion: the function replaced, the lock edge added, the verdicts that changed: exit 1', async () => {
    const r = await here(['diff', 'upstream-7.1', 'examples/variants/resv-before-memory-lock.ts']);
    expect(r.code, r.stderr).toBe(1);
    const o = r.stdout;
    expect(o).toContain('bound: default; primary commands: config_write_command');
    expect(o).toContain(
      '~ vfio_pci_dma_buf_attach: upstream-7.1 runs vfio_pci_dma_buf_attach, user-resv-before-memory-lock runs vfio_pci_dma_buf_attach [replaced in user-resv-before-memory-lock]',
    );
    expect(o).toContain('1 added, 0 removed; cycles: 0 -> 1');
    expect(o).toContain('+ reservation_ww_class_mutex -> &vdev->memory_lock [EN] at vfio_pci_dma_buf_attach');
    expect(o).toMatch(/ {2}lock-order:\n {6}upstream-7\.1: pass\n {6}user-resv-before-memory-lock: FAIL \(lockdep-cycle/);
    expect(o).toContain('The designs behave differently at this bound.');
  });

  it('a search cut by the time limit does not claim the designs behave the same: exit 4', async () => {
    const r = await here(['diff', 'upstream-7.1', 'upstream-7.1', '--bound', 'ops=2', '--time-limit', '1']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain(
      'INCOMPLETE: no difference found, but the time limit or a bound cut a search: the designs may still differ at this bound.',
    );
    expect(r.stdout).not.toContain('behave the same');
    const j = await here(['diff', 'upstream-7.1', 'upstream-7.1', '--bound', 'ops=2', '--time-limit', '1', '--json']);
    expect(j.code).toBe(4);
    expect(JSON.parse(j.stdout)).toMatchObject({ format: 2, verdict: 'incomplete', differ: false, same: true, complete: false });
  });

  it('the same design twice: exit 0; --json', async () => {
    const r = await here(['diff', 'upstream-7.1', 'upstream-7.1', '--bound', 'ops=0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ a: 'upstream-7.1', b: 'upstream-7.1', functions: [], same: true, lockEdges: { added: [], removed: [] } });
    expect(j.properties.every((p: { changed: boolean }) => !p.changed)).toBe(true);
  });
});

describe('matrix', () => {
  it('the property × variant table for chosen designs, as Markdown and JSON', async () => {
    const [md, json] = await Promise.all([
      here(['matrix', '--variant', 'before-double-free']),
      here(['matrix', '--variant', 'before-double-free', '--json']),
    ]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('# Property × variant matrix');
    expect(md.stdout).toMatch(/\| \[before-double-free\]\(#before-double-free\) \| pass \|.*\*\*fail\*\*/);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      design: 'before-double-free',
      cells: { refcounts: { verdict: 'fail' }, 'lock-order': { verdict: 'pass' } },
    });
  });
});

describe('list and help', () => {
  it('variants with their source, properties, commands and bounds; text and JSON', async () => {
    const [v, vj, p, pj, c, b] = await Promise.all([
      here(['list', 'variants']),
      here(['list', 'variants', '--json']),
      here(['list', 'properties']),
      here(['list', 'properties', '--json']),
      here(['list', 'commands']),
      here(['list', 'bounds']),
    ]);
    for (const r of [v, vj, p, pj, c, b]) expect(r?.code, r?.stderr).toBe(0);
    expect(v?.stdout).toMatch(/^upstream-7\.1 +dmabuf +The merged kernel/m);
    expect(v?.stdout).toMatch(/source: Linux 6\.19 close order; fixed by d97708701434/);
    const designs = JSON.parse(vj?.stdout ?? '').variants;
    expect(designs.find((d: { name: string }) => d.name === 'before-close-order')).toMatchObject({
      domain: 'dmabuf',
      base: 'upstream-7.1',
      focus: ['close_device_fd'],
    });
    expect(p?.stdout).toMatch(/^lock-order +dmabuf,sva +every step +No lockdep cycle/m);
    expect(JSON.parse(pj?.stdout ?? '').properties.map((x: { name: string }) => x.name)).toContain('no-mapping-survives-revoke');
    for (const name of ['check', 'replay', 'lockorder', 'diff', 'matrix', 'list']) expect(c?.stdout).toMatch(new RegExp(`^${name} `, 'm'));
    expect(b?.stdout).toMatch(/^dmabuf +ops +1 +random ioctls per primary thread/m);
  });

  it('--help for the tool and for every command', async () => {
    const main = await here(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('usage: vfio-dmabuf-model COMMAND');
    const names = ['check', 'replay', 'lockorder', 'diff', 'matrix', 'list'];
    const helps = await Promise.all(names.map((n) => here([n, '--help'])));
    helps.forEach((h, i) => {
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^usage: vfio-dmabuf-model ${names[i]}`));
      expect(h.stdout).toContain('-h, --help');
    });
    expect(helps[0]?.stdout).toContain('--mode random|exhaustive|both');
    expect(expectUsageError(await here([]))).toContain('missing command (commands: check, replay, lockorder, diff, matrix, list');
  });
});

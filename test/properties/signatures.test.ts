/**
 * The operations each model declares (checker/signature.ts): every scenario
 * the tool itself generates satisfies them, so a file it writes always
 * loads; and what they refuse is refused with the field named.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../checker/scenario.ts';
import { scenarioError } from '../../checker/signature.ts';
import { enumerateScenarios } from '../../checker/space.ts';
import { BOUND_LIMITS } from '../../model/dmabuf/bounds.ts';
import type { Domain } from '../../model/domain.ts';
import { domainOf } from '../../model/domains.ts';
import { builtinDesigns } from '../../model/variants/index.ts';
import { systemOf } from '../../properties/system.ts';

const dmabuf = domainOf('dmabuf');
const sva = domainOf('sva');

/** Up to `max` scenarios of the space the bounds allow. */
function scenarios(domain: Domain, pairs: string[], max = 3000): Scenario[] {
  const { bounds } = domain.parseBounds(pairs);
  const out: Scenario[] = [];
  for (const s of enumerateScenarios(domain.space(bounds), domain.searchBounds(bounds))) {
    out.push(s);
    if (out.length >= max) break;
  }
  return out;
}

const expectAllValid = (domain: Domain, list: Scenario[]) => {
  expect(list.length).toBeGreaterThan(0);
  for (const s of list) expect(scenarioError(domain.signatures, s, 'm'), JSON.stringify(s)).toBeNull();
};

describe('every scenario the tool generates satisfies its model declarations', () => {
  it('declares exactly the operations the systems have', () => {
    const roots = builtinDesigns().filter((d) => d.base === null);
    expect(roots.map((d) => d.domain).sort()).toEqual(['dmabuf', 'sva']);
    for (const design of roots) {
      const domain = domainOf(design.domain);
      const system = systemOf(domain, design);
      expect(Object.keys(domain.signatures.ops).sort()).toEqual(Object.keys(system.ops).sort());
      for (const a of domain.signatures.actors) for (const op of a.ops) expect(Object.hasOwn(domain.signatures.ops, op), op).toBe(true);
    }
  });

  it('at the bounds of every built-in design', () => {
    for (const d of builtinDesigns()) {
      const domain = domainOf(d.domain);
      expectAllValid(
        domain,
        scenarios(
          domain,
          Object.entries(d.bounds).map(([k, v]) => `${k}=${v}`),
          500,
        ),
      );
    }
  });

  it('with each dma-buf role at its largest bound, and the most buffers and devices', () => {
    const roles = ['sync', 'fence', 'pinned', 'static', 'iommufd', 'mmappers', 'dmabuf_mmappers', 'fdclosers', 'primaries', 'unbind'];
    for (const role of roles)
      for (const base of [
        ['exported=0', 'exports=3'],
        ['exported=3', 'exports=3', 'devices=2'],
      ])
        expectAllValid(
          dmabuf,
          scenarios(dmabuf, [...base, 'ops=1', 'sync=0', `${role}=${BOUND_LIMITS[role as keyof typeof BOUND_LIMITS]}`], 400),
        );
  });

  it('with every SVA role at its largest bound', () => {
    expectAllValid(
      sva,
      scenarios(sva, ['users=2', 'ops=2', 'exits=2', 'dmas=2', 'kworker=2', 'faults=2', 'fork=1', 'errors=1', 'groups=3']),
    );
    expectAllValid(sva, scenarios(sva, ['procs=0', 'exits=0', 'groups=1', 'bound=0', 'errors=1', 'fork=1']));
  });

  it('in the fixed profiles', () => {
    expectAllValid(dmabuf, dmabuf.profile?.('ref-t4') ?? []);
    expectAllValid(sva, sva.profile?.('hazards') ?? []);
  });
});

describe('what the declarations refuse, with the field named', () => {
  const one = (name: string, op: string, args: Record<string, unknown>, setup?: Record<string, unknown>): Scenario =>
    ({ threads: [{ name, ops: [{ op, args }] }], ...(setup ? { setup } : {}) }) as Scenario;
  const cases: [Domain, Scenario, RegExp][] = [
    [dmabuf, one('primary0', 'runtime_resume', { dev: 5 }), /^scenario\.threads\[0\]\.ops\[0\]\.args\.dev: 5 is out of range 0\.\.0$/],
    [dmabuf, one('primary0', 'runtime_resume', { dev: 1 }, { devices: 2 }), /^$/],
    [dmabuf, one('primary0', 'close_dmabuf_fd', { dmabuf: 3 }, { exported: 0 }), /args\.dmabuf: 3 is out of range 0\.\.2/],
    [
      dmabuf,
      one('primary0', 'close_dmabuf_fd', {}),
      /args\.dmabuf: missing \(close_dmabuf_fd needs an integer 0\.\.2, or the name of a dma-buf \(given by `as`\)\)/,
    ],
    // dma-bufs by the name an export gave them (`as`), resolved as the scenario runs (checker/handles.ts)
    [dmabuf, one('primary0', 'close_dmabuf_fd', { dmabuf: 'b' }), /args\.dmabuf: no operation of the scenario names a dma-buf "b"/],
    [dmabuf, one('primary0', 'flr', { as: 'b' }), /ops\[0\]\.args\.as: flr creates nothing a later operation can name/],
    [dmabuf, one('primary0', 'export_dmabuf', { as: '1b' }), /args\.as: "1b": expected a name/],
    [
      dmabuf,
      {
        threads: [
          { name: 'primary0', ops: [{ op: 'export_dmabuf', args: { as: 'b' } }] },
          { name: 'sync0', ops: [{ op: 'sync_attach', args: { dmabuf: 'b' } }] },
        ],
      } as Scenario,
      /^$/,
    ],
    [
      dmabuf,
      {
        threads: [
          {
            name: 'primary0',
            ops: [
              { op: 'export_dmabuf', args: { as: 'b' } },
              { op: 'export_dmabuf', args: { as: 'b' } },
            ],
          },
        ],
      } as Scenario,
      /ops\[1\]\.args\.as: "b" is given twice/,
    ],
    [dmabuf, one('primary0', 'config_write_command', { mem: 1 }), /args\.mem: 1: expected true or false/],
    [dmabuf, one('primary0', 'flr', { dev: 0.5 }), /args\.dev: 0\.5: expected an integer/],
    [
      dmabuf,
      one('primary0', 'close_device_fd', { force: true }),
      /args\.force: close_device_fd takes no argument "force" \(arguments: dev\)/,
    ],
    [dmabuf, one('primary0', 'sync_attach', { dmabuf: 0 }), /ops\[0\]\.op: a primary thread does not run sync_attach/],
    [
      dmabuf,
      one('importer0', 'sync_attach', { dmabuf: 0 }),
      /threads\[0\]\.name: "importer0" is no thread of m \(threads: primary0\.\.primary1, sync0\.\.sync2/,
    ],
    [dmabuf, one('sync3', 'sync_attach', { dmabuf: 0 }), /"sync3" is no thread/],
    [dmabuf, one('sync01', 'sync_attach', { dmabuf: 0 }), /"sync01" is no thread/],
    [dmabuf, one('exit0', 'exit_all', { unbinds: ['sync0'] }), /args\.unbinds: "sync0" is no unbind thread of the scenario/],
    [dmabuf, one('primary0', 'reboot', {}), /ops\[0\]\.op: expected an operation of m \("reboot" is not one; operations: open_device/],
    [dmabuf, one('primary0', 'constructor', {}), /"constructor" is not one/],
    [sva, one('user0', 'bind', {}), /args\.pid: missing \(bind needs "self", or an integer 1\.\.2\)/],
    [sva, one('user0', 'bind', { pid: 3 }), /args\.pid: 3: expected "self", or an integer 1\.\.2/],
    [sva, one('user0', 'bind', { pid: 'self' }), /^$/],
    [sva, one('user0', 'bind_bad', { how: 'sideways' }), /args\.how: "sideways": expected one of "header", "argsz_header"/],
    [sva, one('proc1', 'exit', {}, { procs: 1 }), /"proc1" is no thread/],
    [sva, one('proc1', 'exit', {}), /^$/],
    [sva, one('dma0', 'pasid_dma', { dev: 2 }), /args\.dev: 2 is out of range 0\.\.1/],
    [sva, one('user0', 'exit', {}), /a user thread does not run exit/],
  ];
  for (const [domain, scenario, want] of cases)
    it(`${scenario.threads[0]?.name} ${scenario.threads[0]?.ops[0]?.op} ${JSON.stringify(scenario.threads[0]?.ops[0]?.args)}`, () => {
      expect(scenarioError(domain.signatures, scenario, 'm') ?? '').toMatch(want);
    });
});

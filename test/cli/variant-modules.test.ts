/**
 * Variant modules as users write them: one file anywhere (here a temporary
 * directory with no package.json, so Node would take a .ts file for CommonJS),
 * checked for shape when loaded, and a design whose code fails while running
 * reported as broken instead of passing every property unexercised.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectUsageError, REPO, tempDir } from './helpers.ts';

const dir = tempDir();
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const variant = (replace: string, extra = '') =>
  `export default function (api: any) {
  return api.defineVariant(api.designs['upstream-7.1'], { name: 'v', summary: 's', source: 's', differences: [], replace: { ${replace} }${extra} });
}
`;

describe('a variant module outside the repository', () => {
  it('loads with TypeScript-only syntax and no package.json beside it', async () => {
    const example = join(REPO, 'examples', 'variants', 'resv-before-memory-lock.ts');
    const copy = file('copy.ts', (await import('node:fs')).readFileSync(example, 'utf8'));
    const r = await cli(['check', '--variant', copy, '--property', 'lock-order', '--mode', 'exhaustive', '--out', join(dir, 'out')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1 of 1 properties violated: lock-order/);
  });

  it('loads a plain default-exported function', async () => {
    const plain = file('plain.ts', `export default function (api: any) { return api.designs['upstream-7.1']; }\n`);
    const r = await cli(['check', '--variant', plain, '--mode', 'random', '--runs', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('a design of the wrong shape is one line and exit 2', () => {
  const cases: [string, string, RegExp][] = [
    [
      'not-a-function.ts',
      `export default function (api: any) { const d = api.designs['upstream-7.1']; return { ...d, functions: { ...d.functions, vfio_pci_dma_buf_attach: 5 } }; }\n`,
      /its function vfio_pci_dma_buf_attach is not a function/,
    ],
    ['half.ts', `export default { name: 'x', domain: 'dmabuf', functions: {} };\n`, /its functions lack /],
    ['bad-focus.ts', variant('', ", focus: ['reboot']"), /its focus names "reboot", which is no command of the dmabuf model/],
    ['throws-undefined.ts', 'throw undefined;\nexport default 1;\n', /cannot load variant module .*: it threw undefined/],
  ];
  for (const [name, text, message] of cases)
    it(name, async () => {
      const r = await cli(['check', '--variant', file(name, text), '--mode', 'random', '--runs', '1']);
      expect(expectUsageError(r)).toMatch(message);
    });
});

describe('a design whose code throws while running', () => {
  const throws = variant(`vfio_pci_dma_buf_attach: function* () { throw new TypeError('model bug'); }`);
  const expectBroken = (r: { code: number; stderr: string }) => {
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/design v is broken: at step \d+ \(\w+ in [a-z_ >]+\) its code threw a TypeError: model bug$/);
  };
  for (const mode of ['random', 'exhaustive'])
    it(`fails check in ${mode} mode instead of passing`, async () => {
      expectBroken(await cli(['check', '--variant', file(`throws-${mode}.ts`, throws), '--mode', mode]));
    });
  it('fails lockorder instead of drawing a partial graph', async () => {
    expectBroken(await cli(['lockorder', '--variant', file('throws-lockorder.ts', throws)]));
  });
});

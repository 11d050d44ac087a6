/**
 * The example designs are typed against the public API (`import type * as
 * Api`), as a user's file is: the compiler checks them, here beside a user
 * file with a misspelt table function that it must refuse, and no `any` is
 * left in them or in the code of docs/variants.md.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../cli/helpers.ts';

const EXAMPLES = join(REPO, 'examples', 'variants');
const FIXTURES = join(REPO, 'test', 'model', 'fixtures');

function tsc(project: string): Promise<string> {
  return new Promise((done) => {
    execFile(join(REPO, 'node_modules', '.bin', 'tsc'), ['--noEmit', '--pretty', 'false', '-p', project], (_e, stdout, stderr) =>
      done(stdout + stderr),
    );
  });
}

describe('typed examples', () => {
  it('type-check, and a wrong one does not', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(
      join(dir, 'misspelt.ts'),
      `import type * as Api from '${join(REPO, 'index.ts')}';
export default function design(api: typeof Api): Api.Design {
  function* vfio_pci_dma_buf_attach(k: Api.K, priv: string) {
    yield* k.dma_resv_lockk(api.objects.resv(priv));
    return 0;
  }
  return api.defineVariant(api.designs['upstream-7.1'] as Api.Design, { name: 'm', summary: '', source: '', differences: [], replace: { vfio_pci_dma_buf_attach } });
}
`,
    );
    // the typed forms (docs/variants.md "Two forms of the table types"): handles checked, mixed with a plain-id entry
    writeFileSync(
      join(dir, 'typed.ts'),
      `import type * as Api from '${join(REPO, 'index.ts')}';
export default function design(api: typeof Api): Api.Design<Api.TypedFunctionTable> {
  function* vfio_pci_dma_buf_attach(k: Api.TypedK, priv: Api.Ref<'priv'>, att: Api.Ref<'att'>) {
    if (!k.ctx.get(att, 'peer2peer')) return api.errno.EOPNOTSUPP;
    const vdev = k.ctx.get(priv, 'vdev');
    if (vdev !== null) yield* k.__vfio_pci_memory_enabled(vdev);
    return 0;
  }
  function* vfio_pci_dma_buf_done(k: Api.K, priv: string) {
    yield* k.complete(api.objects.comp(priv));
  }
  return api.defineVariant(api.designs['upstream-7.1'] as Api.Design<Api.TypedFunctionTable>, {
    name: 't', summary: '', source: '', differences: [],
    replace: { vfio_pci_dma_buf_attach, vfio_pci_dma_buf_done },
  });
}
`,
    );
    const config = {
      extends: join(REPO, 'tsconfig.json'),
      compilerOptions: { typeRoots: [join(REPO, 'node_modules', '@types')] },
      include: [EXAMPLES, FIXTURES, join(dir, 'misspelt.ts'), join(dir, 'typed.ts')],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
    const out = await tsc(join(dir, 'tsconfig.json'));
    const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors, errors.join('\n')).toHaveLength(1);
    expect(errors[0]).toMatch(/misspelt\.ts\(4,14\): error TS2551: Property 'dma_resv_lockk' does not exist on type 'K'/);
  }, 120_000);

  const anyType = /(:\s*any\b|\bas any\b|<any>|\bany\[\]|=\s*any\s*;)/;
  it('have no any', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect(readFileSync(join(EXAMPLES, f), 'utf8'), f).not.toMatch(anyType);
    const doc = readFileSync(join(REPO, 'docs', 'variants.md'), 'utf8');
    const code = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(code.length).toBeGreaterThan(3);
    for (const c of code) expect(c).not.toMatch(anyType);
    expect('function f(api: any) {}').toMatch(anyType);
  });
});

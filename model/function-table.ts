/**
 * Every function of the dma-buf and SVA tables as a reviewer looks it up: its
 * C prototype, the kernel file and function it models, and which built-in
 * designs replace it. Names and replacements come from the tables and the
 * designs themselves; prototypes and files from model/function-sources.ts.
 */
import { kernelFunctionOf } from './dmabuf/kernel-functions.ts';
import { primitiveTable } from './dmabuf/primitives.ts';
import * as dma_buf from './dmabuf/upstream/dma_buf.ts';
import * as fault from './dmabuf/upstream/fault.ts';
import * as file from './dmabuf/upstream/file.ts';
import * as importers from './dmabuf/upstream/importers.ts';
import { upstreamFunctions } from './dmabuf/upstream/index.ts';
import * as iommufd from './dmabuf/upstream/iommufd.ts';
import * as mmap from './dmabuf/upstream/mmap.ts';
import * as uaccess from './dmabuf/upstream/uaccess.ts';
import * as vfio_group from './dmabuf/upstream/vfio_group.ts';
import * as vfio_main from './dmabuf/upstream/vfio_main.ts';
import * as vfio_pci_config from './dmabuf/upstream/vfio_pci_config.ts';
import * as vfio_pci_core from './dmabuf/upstream/vfio_pci_core.ts';
import * as vfio_pci_dmabuf from './dmabuf/upstream/vfio_pci_dmabuf.ts';
import * as vfio_pci_rdwr from './dmabuf/upstream/vfio_pci_rdwr.ts';
import { C_KERNEL, C_READ, FILE_OF, MODEL_HELPERS, MODULE_FILES } from './function-sources.ts';
import * as io_pgfault from './sva/io_pgfault.ts';
import * as iommu_sva from './sva/iommu_sva.ts';
import * as mm from './sva/mm.ts';
import { svaPrimitiveTable } from './sva/primitives.ts';
import { sva2018Functions } from './sva/table.ts';
import * as vfio from './sva/vfio.ts';
import * as vfio_iommu_type1 from './sva/vfio_iommu_type1.ts';
import * as workqueue from './sva/workqueue.ts';
import { builtinDesigns } from './variants/index.ts';

export interface FunctionRow {
  readonly table: 'dmabuf' | 'sva';
  readonly name: string;
  /** the C prototype, or what a model helper stands for */
  readonly c: string;
  /** how `c` is known: read in a stored patch, the kernel's prototype, or a model helper */
  readonly cFrom: 'read' | 'kernel' | 'helper' | 'none';
  /** the model module whose code it is, e.g. model/dmabuf/upstream/vfio_pci_dmabuf.ts ('' when MODULES does not list it) */
  readonly module: string;
  readonly kernelFile: string;
  /** the kernel function it models (a piece of one, for a few entries) */
  readonly kernelFunction: string;
  /** built-in designs that replace it, in list order */
  readonly replacedBy: readonly string[];
}

const MODULES: Readonly<Record<string, object>> = {
  'dmabuf/vfio_pci_dmabuf': vfio_pci_dmabuf,
  'dmabuf/dma_buf': dma_buf,
  'dmabuf/importers': importers,
  'dmabuf/iommufd': iommufd,
  'dmabuf/uaccess': uaccess,
  'dmabuf/vfio_main': vfio_main,
  'dmabuf/vfio_pci_config': vfio_pci_config,
  'dmabuf/vfio_pci_core': vfio_pci_core,
  'dmabuf/vfio_pci_rdwr': vfio_pci_rdwr,
  'dmabuf/fault': fault,
  'dmabuf/file': file,
  'dmabuf/mmap': mmap,
  'dmabuf/vfio_group': vfio_group,
  'dmabuf/primitives': primitiveTable,
  'sva/mm': mm,
  'sva/workqueue': workqueue,
  'sva/io_pgfault': io_pgfault,
  'sva/iommu_sva': iommu_sva,
  'sva/vfio_iommu_type1': vfio_iommu_type1,
  'sva/vfio': vfio,
  'sva/primitives': svaPrimitiveTable,
};

/** The model module a table entry's code is in (the one that exports that very function), or '' when MODULES lacks it. */
function moduleOf(name: string, fn: unknown): string {
  return Object.entries(MODULES).find(([, m]) => (m as Record<string, unknown>)[name] === fn)?.[0] ?? '';
}

function cOf(name: string): Pick<FunctionRow, 'c' | 'cFrom'> {
  const read = C_READ[name];
  if (read) return { c: read, cFrom: 'read' };
  const kernel = C_KERNEL[name];
  if (kernel) return { c: kernel, cFrom: 'kernel' };
  const helper = MODEL_HELPERS[name];
  if (helper) return { c: helper, cFrom: 'helper' };
  return { c: '', cFrom: 'none' };
}

export function functionRows(): FunctionRow[] {
  const designs = builtinDesigns();
  const tables = [
    ['dmabuf', upstreamFunctions],
    ['sva', sva2018Functions],
  ] as const;
  return tables.flatMap(([table, fns]) =>
    Object.entries(fns)
      .map(([name, fn]): FunctionRow => {
        const module = moduleOf(name, fn);
        return {
          table,
          name,
          ...cOf(name),
          module: module && `model/${module.replace(/^dmabuf\/(?!primitives)/, 'dmabuf/upstream/')}.ts`,
          kernelFile: FILE_OF[name] ?? MODULE_FILES[module] ?? '',
          kernelFunction: table === 'dmabuf' ? kernelFunctionOf(name) : name,
          replacedBy: designs.filter((d) => d.domain === table && d.replaced.includes(name)).map((d) => d.name),
        };
      })
      .sort((a, b) => a.module.localeCompare(b.module) || a.name.localeCompare(b.name)),
  );
}

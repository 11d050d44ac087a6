/**
 * The object kinds of the dma-buf model, each declared once: its fields with
 * their types and initial values, and its lifecycle machine. Ids keep the
 * scheme of objects.ts (`priv0`, `priv0.kref`), so traces and counterexample
 * files do not change; the handles `make` returns are typed (`Ref<'priv'>`),
 * which checks `ctx.get(priv, 'revoked')` and `ctx.send(priv, …)` at compile time.
 */
import type { EventFromLogic } from 'xstate';
import { declareKind, type KindDecl, type Ref } from '../../checker/kind.ts';
import type { ImporterKind } from './arguments.ts';
import type { attachmentMachine } from './machines/attachment.ts';
import type { deviceMachine } from './machines/device.ts';
import type { dmabufMachine } from './machines/dmabuf.ts';
import { lifecycles } from './machines/index.ts';
import type { iommufdMachine } from './machines/iommufd.ts';
import type { vmaMachine } from './machines/vma.ts';
import { attachmentKind, fdKind, pagesKind, privKind, vmaKind } from './objects.ts';

/** No lifecycle: the kind's objects have fields only. */
type NoEvent = { readonly type: never };

/** priv->status in designs with a permanent revoke (Evans RFC v2); 'OK' elsewhere */
export type PrivStatus = 'OK' | 'TEMP' | 'PERM';

/**
 * struct vfio_pci_dma_buf. Revocation is one stored fact, `status` (RFC v2's
 * priv->status; upstream never reaches PERM); upstream's priv->revoked is the
 * view `status != OK`, read and written as the C code does.
 */
export type PrivFields = {
  /** priv->vdev; null once vfio_pci_dma_buf_cleanup() orphaned the buffer */
  vdev: Ref<'vdev'> | null;
  revoked: boolean;
  nr_ranges: number;
  bar: number;
  /** the attachments on priv->attachments, by id */
  attachments: readonly Ref<'att'>[];
  status: PrivStatus;
  /** priv->size when the export gave its ranges; absent: the whole BAR (resources.ts dmabufSize) */
  size?: number;
  /** RFC v2: the device file a BAR mmap's dma-buf holds (priv->vfile), set by vfio_pci_core_mmap_prep_dmabuf() */
  vfile?: Ref<'file'>;
};

export const priv = declareKind<typeof privKind, PrivFields, EventFromLogic<typeof dmabufMachine>>(
  privKind,
  {
    vdev: '' as Ref<'vdev'>,
    revoked: false,
    nr_ranges: 1,
    bar: 0,
    attachments: [],
    status: 'OK',
  },
  lifecycles.dmabuf,
  {
    // priv->revoked = true keeps a permanent revoke permanent; = false clears either
    revoked: { of: 'status', read: (s) => s !== 'OK', write: (v, s) => (v ? (s === 'PERM' ? 'PERM' : 'TEMP') : 'OK') },
  },
);

/** pci_power_t of the device: the two states the model reaches */
export type PowerState = 'D0' | 'D3hot';

/**
 * struct vfio_pci_core_device: what the model keeps of it (vfio_pci_core.c, vfio_pci_config.c).
 * The device's registration count, completion, file and locks are objects of their own (objects.ts).
 */
export type VdevFields = {
  /** vdev->vdev.dev_set */
  dev_set: Ref<'vfio_device_set'>;
  /** vdev->vdev.open_count */
  open_count: number;
  /** vdev->vconfig allocated (vfio_config_init() at open) */
  vconfig: boolean;
  /** PCI_COMMAND_MEMORY in the device's command register */
  cmd_mem: boolean;
  power: PowerState;
  /** the device has no command register memory bit (vdev->pdev->no_command_memory) */
  no_command_memory: boolean;
  /** vdev->pm_runtime_engaged */
  pm_runtime_engaged: boolean;
  /** vdev->reset_works */
  reset_works: boolean;
  /** a reset is running: MMIO unavailable (the model's, not a C field) */
  in_reset: boolean;
  /** the memory BARs the device has (pci_resource_start() != 0) */
  bars: readonly number[];
  /** BARs vfio_pci_core_setup_barmap() requested and mapped (vdev->barmap[bar] set) */
  barmap: readonly number[];
  /** vdev->dmabufs: the exported buffers linked to the device */
  dmabufs: readonly Ref<'priv'>[];
};

export const vdev = declareKind<'vdev', VdevFields, EventFromLogic<typeof deviceMachine>>(
  'vdev',
  {
    dev_set: '' as Ref<'vfio_device_set'>,
    open_count: 0,
    vconfig: false,
    cmd_mem: false,
    power: 'D0',
    no_command_memory: false,
    pm_runtime_engaged: false,
    reset_works: true,
    in_reset: false,
    bars: [],
    barmap: [],
    dmabufs: [],
  },
  lifecycles.device,
);

/** struct vfio_device_set: its devices, and the VFIO group they were opened through (null: cdev path) */
export type DevSetFields = { devices: readonly Ref<'vdev'>[]; group: Ref<'dmabuf.vfio_group'> | null };
export const devSet = declareKind<'vfio_device_set', DevSetFields, NoEvent>('vfio_device_set', { devices: [], group: null }, null);

/** vfio_device.refcount (`vdev0.refcount`): the registration count, a refcount_t of its own object (objects.ts registration) */
export const registration = declareKind<'registration', { refcount: number }, NoEvent>('registration', { refcount: 1 }, null);

/** struct dma_buf_attachment (drivers/dma-buf/dma-buf.c) with the importer it belongs to */
export type AttachmentFields = {
  /** attach->dmabuf */
  dmabuf: Ref<'priv'>;
  /** attach->importer_priv: the iopt_pages of an iommufd importer (kind 'iommufd'), else the importer's own name */
  importer: string;
  /** which importer_ops it has */
  kind: ImporterKind;
  /** importer_ops->allow_peer2peer; static importers (dma_buf_attach) have no importer_ops */
  peer2peer: boolean;
  /** importer_ops->invalidate_mappings set */
  invalidate_mappings: boolean;
  /** the importer's DMA is in flight behind a fence it added to the resv (fence importer) */
  fence_pending: boolean;
  /** the sg table of the live mapping (ops->map_dma_buf's result), null for designs whose map makes none */
  sgt: string | null;
};
export const attachment = declareKind<typeof attachmentKind, AttachmentFields, EventFromLogic<typeof attachmentMachine>>(
  attachmentKind,
  {
    dmabuf: '' as Ref<'priv'>,
    importer: '',
    kind: 'static',
    peer2peer: false,
    invalidate_mappings: false,
    fence_pending: false,
    sgt: null,
  },
  lifecycles.attachment,
);

/** struct iopt_pages of a mapped dma-buf (drivers/iommu/iommufd/pages.c) */
export type PagesFields = {
  /** pages->dmabuf.dmabuf's priv */
  dmabuf: Ref<'priv'>;
  /** pages->dmabuf.attach, once iopt_map_dmabuf() attached */
  att: Ref<'att'> | null;
  /** iopt_area_fill_domains() mapped the pages into the domain */
  domain_mapped: boolean;
};
export const pages = declareKind<typeof pagesKind, PagesFields, EventFromLogic<typeof iommufdMachine>>(
  pagesKind,
  { dmabuf: '' as Ref<'priv'>, att: null, domain_mapped: false },
  lifecycles.iommufd,
);

/** A BAR mmap VMA (struct vm_area_struct): of the device fd, or of a dma-buf fd */
export type VmaFields = {
  vdev: Ref<'vdev'> | null;
  bar: number;
  /** vma->vm_file: the device's file ('device') or the dma-buf's (its priv) */
  backing: 'device' | Ref<'priv'>;
  /** the process (its fd table and mm) that mapped it */
  proc: Ref<'process'>;
  /** the mmap's range when it gave one: vma->vm_pgoff and the length in pages */
  pgoff?: number;
  pages?: number;
  vm_start: number;
  vm_end: number;
};
export const vma = declareKind<typeof vmaKind, VmaFields, EventFromLogic<typeof vmaMachine>>(
  vmaKind,
  { vdev: null, bar: 0, backing: 'device', proc: '' as Ref<'process'>, vm_start: 0, vm_end: 0 },
  lifecycles.vma,
);

/** A process's fd table: the fds it holds, each named by what it refers to (objects.ts fdFileOf) */
export type ProcessFields = { fds: readonly string[] };
export const process = declareKind<'process', ProcessFields, NoEvent>('process', { fds: [] }, null);

/** A dup()ed fd: the struct file it refers to (ksys_dup, fs/file.c) */
export type FdFields = { file: Ref<'file'> };
export const fd = declareKind<typeof fdKind, FdFields, NoEvent>(fdKind, { file: '' as Ref<'file'> }, null);

/**
 * struct vfio_group and struct vfio_container of the group path (drivers/vfio/group.c, container.c;
 * made by group-setup.ts). The SVA model has objects of the same kinds (`vfio_group`,
 * `vfio_container`) as v4.17 had them, with other fields, so these two are declared under type names
 * that carry the domain ('dmabuf.vfio_group'); at run time their kind is the kernel struct's, as before.
 */
export type GroupFields = {
  /** group->container */
  container: Ref<'dmabuf.vfio_container'> | null;
  /** group->container_users */
  container_users: number;
  /** group->opened_file; NULL once the group file is released */
  opened_file: Ref<'file'> | null;
};
/** struct vfio_container; kzalloc'ed, its kref an object of its own */
export type ContainerFields = { iommu_driver: boolean; groups: readonly Ref<'dmabuf.vfio_group'>[] };

/** What a thread of a user process holds between its operations (actors.ts): the model's, not the kernel's */
export type ActorFields = {
  priv: Ref<'priv'> | null;
  att: Ref<'att'> | null;
  pages: Ref<'pages'> | null;
  /** its most recent mapping */
  vma: Ref<'vma'> | null;
};
export const actor = declareKind<'actor', ActorFields, NoEvent>('actor', { priv: null, att: null, pages: null, vma: null }, null);
/** a thread's older mappings, oldest first, once it holds two */
export type ActorMapsFields = { vmas: readonly Ref<'vma'>[] };
export const actorMaps = declareKind<'actor_maps', ActorMapsFields, NoEvent>('actor_maps', { vmas: [] }, null);

declare module '../../checker/kind.ts' {
  interface Kinds {
    priv: typeof priv;
    vdev: typeof vdev;
    vfio_device_set: typeof devSet;
    registration: typeof registration;
    att: typeof attachment;
    pages: typeof pages;
    vma: typeof vma;
    process: typeof process;
    fd: typeof fd;
    'dmabuf.vfio_group': KindDecl<'vfio_group', GroupFields, NoEvent>;
    'dmabuf.vfio_container': KindDecl<'vfio_container', ContainerFields, NoEvent>;
    actor: typeof actor;
    actor_maps: typeof actorMaps;
  }
}

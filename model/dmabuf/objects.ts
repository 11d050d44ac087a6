/**
 * Where each kernel object lives in the world. Ids are derived from their
 * owner so model code names them the way C does (`&vdev->memory_lock`)
 * without reading the world.
 */
import { type KindName, type Ref, refTo } from '../../checker/kind.ts';

/**
 * The id `${prefix}${owner}${suffix}`, built once per owner: model code names
 * these objects at every access, and a string built once is hashed once.
 */
function owned(prefix: string, suffix: string): (owner: string) => string {
  const ids = new Map<string, string>();
  return (owner) => {
    let id = ids.get(owner);
    if (id === undefined) {
      id = `${prefix}${owner}${suffix}`;
      ids.set(owner, id);
    }
    return id;
  };
}

/** As owned(), for an object of a declared kind (kernel/kinds.ts, kinds.ts): the id is its typed handle. */
function ownedRef<K extends KindName>(kind: K, prefix: string, suffix: string): (owner: string) => Ref<K> {
  const id = owned(prefix, suffix);
  return (owner) => refTo(kind, id(owner));
}

/** struct vfio_pci_core_device: `vdev0`, `vdev1`, ... */
export const vdevId = (n: number) => refTo('vdev', `vdev${n}`);
export const memory_lock = ownedRef('rwsem', '', '.memory_lock');
export const igate = ownedRef('mutex', '', '.igate');
/** vfio_device.refcount (registration) and vfio_device.comp */
export const registration = ownedRef('registration', '', '.refcount');
export const registrationDone = ownedRef('completion', '', '.comp');
/** the device fd's struct file */
export const deviceFile = ownedRef('file', '', '.file');
/** BAR VMA i_mmap_rwsem of the per-device inode mapping */
export const i_mmap_rwsem = ownedRef('rwsem', '', '.i_mmap_rwsem');

/** struct vfio_device_set */
export const devSetId = (n: number) => refTo('vfio_device_set', `devset${n}`);
export const devSetLock = ownedRef('mutex', '', '.lock');

/** struct vfio_pci_dma_buf (priv) and its struct dma_buf: `priv0`, ... */
export const privKind = 'priv' as const;
export const dmabufFile = ownedRef('file', '', '.file');
export const resv = ownedRef('dma_resv', '', '.resv');
export const kref = ownedRef('kref', '', '.kref');
export const comp = ownedRef('completion', '', '.comp');
/**
 * Wait classes of the completions: lockdep (DEPT) keys a completion by its init_completion() site, not by
 * object, so every buffer's priv->comp is one class, and every device's registration completion another.
 */
export const PRIV_COMP_CLASS = '(completion)&priv->comp';
export const VDEV_COMP_CLASS = '(completion)&vdev->comp';
/** the kzalloc'ed memory of priv (and phys_vec): kfree'd by vfio_pci_dma_buf_release() */
export const privMem = owned('', '.mem');
/** the struct dma_buf of priv (dma_buf_export() allocates it with its resv behind it): kfree'd by dma_buf_release() */
export const dmabufMem = owned('', '.dmabuf');

/**
 * What a kfree() of an allocation frees with it: the structs embedded in it,
 * which the model keeps as objects of their own. kfree(priv) takes priv's own
 * fields, priv->kref and priv->comp; kfree(dmabuf) the resv that
 * dma_buf_export() placed at &dmabuf[1], and its ww_mutex.
 */
export function embeddedIn(mem: string): readonly string[] {
  if (mem.endsWith('.mem')) {
    const priv = mem.slice(0, -'.mem'.length);
    return [priv, kref(priv), comp(priv)];
  }
  if (mem.endsWith('.dmabuf')) {
    const priv = mem.slice(0, -'.dmabuf'.length);
    return [resv(priv), `${resv(priv)}.lock`];
  }
  if (mem === containerId) return [`${containerId}.kref`];
  return [];
}

/** an importer's dma_buf_attachment: `att0`, ... ; its in-flight DMA fence */
export const attachmentKind = 'att' as const;
export const importerFence = ownedRef('dma_fence', '', '.fence');

/** iommufd iopt_pages of a mapped dma-buf, and its pages->mutex */
export const pagesKind = 'pages' as const;
export const pagesMutex = ownedRef('mutex', '', '.mutex');
export const domainsRwsem = refTo('rwsem', 'iopt.domains_rwsem');

/** a BAR mmap VMA, and the mm's mmap_lock of the process that maps it */
export const vmaKind = 'vma' as const;
export const mmapLock = ownedRef('rwsem', '', '.mmap_lock');

/** a process's fd table: which dma-buf fds it holds */
const procIdOf = owned('proc.', '');
export const procId = (name: string) => refTo('process', procIdOf(name));

/** a dup()ed fd (`fd0`, ...): its `file` field is the struct file it refers to (ksys_dup, fs/file.c) */
export const fdKind = 'fd' as const;

/** The VFIO container of the group path (struct vfio_container, drivers/vfio/container.c) and its file (vfio_fops) */
export const containerId = refTo('dmabuf.vfio_container', 'container0');
export const containerFile = ownedRef('file', '', '.file');
/** container->group_lock: an rwsem (down_write in attach/detach of a group) */
export const containerGroupLock = ownedRef('rwsem', '', '.group_lock');
/** struct vfio_group (drivers/vfio/group.c): one for the devices of the dev_set (inferred: a group per dev_set) */
export const groupId = refTo('dmabuf.vfio_group', 'group0');
export const groupFile = ownedRef('file', '', '.file');
/** group->group_lock: a mutex */
export const groupLock = ownedRef('mutex', '', '.group_lock');

/** Whether a table entry is a dup()ed fd object (`fd0`): told by its id, so that no read of the world is recorded. */
export const isDupFd = (fd: string) => /^fd\d+$/.test(fd);

/**
 * The struct file an entry of a process's fd table refers to. The table lists fds by what they
 * name: a dma-buf fd by its priv (`priv0` → `priv0.file`), the device, group and container fds by
 * their file (`vdev0.file`), a dup()ed fd by its fd object (`fd0` → its `file`, which never changes).
 */
export function fdFileOf(w: { peek(id: string, f: string): unknown }, fd: string): Ref<'file'> {
  if (fd.endsWith('.file')) return refTo('file', fd);
  if (isDupFd(fd)) return w.peek(fd, 'file') as Ref<'file'>;
  return dmabufFile(fd);
}

/**
 * Where each kernel object lives in the world. Ids are derived from their
 * owner so model code names them the way C does (`&vdev->memory_lock`)
 * without reading the world.
 */

/** struct vfio_pci_core_device: `vdev0`, `vdev1`, ... */
export const vdevId = (n: number) => `vdev${n}`;
export const memory_lock = (vdev: string) => `${vdev}.memory_lock`;
export const igate = (vdev: string) => `${vdev}.igate`;
/** vfio_device.refcount (registration) and vfio_device.comp */
export const registration = (vdev: string) => `${vdev}.refcount`;
export const registrationDone = (vdev: string) => `${vdev}.comp`;
/** the device fd's struct file */
export const deviceFile = (vdev: string) => `${vdev}.file`;
/** BAR VMA i_mmap_rwsem of the per-device inode mapping */
export const i_mmap_rwsem = (vdev: string) => `${vdev}.i_mmap_rwsem`;

/** struct vfio_device_set */
export const devSetId = (n: number) => `devset${n}`;
export const devSetLock = (devset: string) => `${devset}.lock`;

/** struct vfio_pci_dma_buf (priv) and its struct dma_buf: `priv0`, ... */
export const privKind = 'priv';
export const dmabufFile = (priv: string) => `${priv}.file`;
export const resv = (priv: string) => `${priv}.resv`;
export const kref = (priv: string) => `${priv}.kref`;
export const comp = (priv: string) => `${priv}.comp`;
/** the kzalloc'ed memory of priv (and phys_vec): kfree'd by vfio_pci_dma_buf_release() */
export const privMem = (priv: string) => `${priv}.mem`;

/** an importer's dma_buf_attachment: `att0`, ... ; its in-flight DMA fence */
export const attachmentKind = 'att';
export const importerFence = (att: string) => `${att}.fence`;

/** iommufd iopt_pages of a mapped dma-buf, and its pages->mutex */
export const pagesKind = 'pages';
export const pagesMutex = (pages: string) => `${pages}.mutex`;
export const domainsRwsem = 'iopt.domains_rwsem';

/** a BAR mmap VMA, and the mm's mmap_lock of the process that maps it */
export const vmaKind = 'vma';
export const mmapLock = (proc: string) => `${proc}.mmap_lock`;

/** a process's fd table: which dma-buf fds it holds */
export const procId = (name: string) => `proc.${name}`;

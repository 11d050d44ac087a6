/**
 * The object kinds of the dma-buf model, each declared once: its fields with
 * their types and initial values, and its lifecycle machine. Ids keep the
 * scheme of objects.ts (`priv0`, `priv0.kref`), so traces and counterexample
 * files do not change; the handles `make` returns are typed (`Ref<'priv'>`),
 * which checks `ctx.get(priv, 'revoked')` and `ctx.send(priv, …)` at compile time.
 */
import type { EventFromLogic } from 'xstate';
import { declareKind } from '../../checker/kind.ts';
import type { dmabufMachine } from './machines/dmabuf.ts';
import { lifecycles } from './machines/index.ts';
import { privKind } from './objects.ts';

/** priv->status in designs with a permanent revoke (Evans RFC v2); 'OK' elsewhere */
export type PrivStatus = 'OK' | 'TEMP' | 'PERM';

/**
 * struct vfio_pci_dma_buf. Revocation is one stored fact, `status` (RFC v2's
 * priv->status; upstream never reaches PERM); upstream's priv->revoked is the
 * view `status != OK`, read and written as the C code does.
 */
export type PrivFields = {
  vdev: string;
  revoked: boolean;
  nr_ranges: number;
  bar: number;
  /** the attachments on priv->attachments, by id */
  attachments: readonly string[];
  status: PrivStatus;
  /** priv->size when the export gave its ranges; absent: the whole BAR (resources.ts dmabufSize) */
  size?: number;
  /** RFC v2: the device file a BAR mmap's dma-buf holds (priv->vfile), set by vfio_pci_core_mmap_prep_dmabuf() */
  vfile?: string;
};

export const priv = declareKind<typeof privKind, PrivFields, EventFromLogic<typeof dmabufMachine>>(
  privKind,
  {
    vdev: '',
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

declare module '../../checker/kind.ts' {
  interface Kinds {
    priv: typeof priv;
  }
}

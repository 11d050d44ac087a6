// The argument of the SVA model's bind functions: functions.ts declares them with it and
// vfio_iommu_type1.ts implements them, so it lives below both.
import type { Ref } from '../../checker/kind.ts';

/**
 * The user's argument of VFIO_IOMMU_BIND/UNBIND: the header, the bind_process
 * payload, and which user copy faults (-EFAULT): the header, the payload, or
 * the PASID written back.
 */
export interface BindArg {
  readonly argsz: number;
  readonly flags: number;
  readonly pflags: number;
  readonly pid: number;
  readonly fault: 'none' | 'header' | 'params' | 'pasid_out';
}

/** A recoverable I/O page fault as the IOMMU reports it (model/sva/io_pgfault.ts). */
export type IopfFault = {
  readonly dev: Ref<'device'>;
  readonly pasid: number;
  /** not kernel data: the address space user space programmed the job for, for pasid-dma-bound */
  readonly intended: Ref<'mm'>;
};

/** An item on a workqueue (model/sva/workqueue.ts): its function and its argument. */
export type WorkItem =
  | { readonly func: 'mmput_async_fn'; readonly data: Ref<'mm'> }
  | { readonly func: 'iopf_handle_group'; readonly data: IopfFault };

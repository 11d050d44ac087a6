// The argument of the SVA model's bind functions: functions.ts declares them with it and
// vfio_iommu_type1.ts implements them, so it lives below both.

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

/**
 * The function table of the seed as posted (sva-2018-v2): the kernel functions
 * of model/sva/, by their kernel names. Variants copy it and replace entries.
 */
import type { SvaTable } from './functions.ts';
import * as iopf from './io_pgfault.ts';
import * as core from './iommu_sva.ts';
import * as mm from './mm.ts';
import { svaPrimitiveTable } from './primitives.ts';
import * as vfio from './vfio.ts';
import * as type1 from './vfio_iommu_type1.ts';
import * as wq from './workqueue.ts';

const { IOMMU_SVA_LOCK: _l, ...coreFns } = core;
const { MM_USERS: _u, MM_COUNT: _c, PTRACE_MODE_ATTACH_REALCREDS: _p, ...mmFns } = mm;
const {
  VFIO_IOMMU_BIND: _b,
  VFIO_IOMMU_UNBIND: _ub,
  VFIO_IOMMU_BIND_PROCESS: _bp,
  VFIO_IOMMU_BIND_PID: _pid,
  VFIO_PASID_INVALID: _inv,
  SIZEOF_BIND: _s1,
  SIZEOF_BIND_PROCESS: _s2,
  ubuf: _ubuf,
  ...type1Fns
} = type1;
const { groupLock: _g, ...vfioFns } = vfio;
const { IOMMU_PAGE_RESP_SUCCESS: _ps, IOMMU_PAGE_RESP_INVALID: _pi, ...iopfFns } = iopf;

export const sva2018Functions: SvaTable = {
  ...svaPrimitiveTable,
  ...mmFns,
  ...wq,
  ...iopfFns,
  ...coreFns,
  ...type1Fns,
  ...vfioFns,
};

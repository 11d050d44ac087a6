/** The parameters of the SVA model's initial world, as a scenario's setup gives them (from the bounds; see domain.ts). */
import type { Args } from '../../checker/value.ts';

export interface SvaSetup {
  /** foreign processes: pid 1 (same uid, dumpable: P0 may ptrace it), pid 2 (root: P0 may not) */
  readonly procs: number;
  /** VFIO groups, one device each; group0 is set to the container at setup */
  readonly groups: number;
  /** 1: process 1's address space is bound to the container at setup, and a DMA job programmed with its PASID */
  readonly bound: number;
  /** the SVA core's PASID space is 1..max_pasid */
  readonly max_pasid: number;
  /** kworker threads of system_wq in the scenario (0: queued work runs in the exit's flush) */
  readonly kworker: number;
  /** >0: the devices have PRI and an iopf queue with a worker thread (`iopf0`) */
  readonly faults: number;
}

/** A setup's values, with the model's defaults for what it leaves out. */
export function setupOf(a: Args): SvaSetup {
  const n = (k: string, d: number) => (typeof a[k] === 'number' ? (a[k] as number) : d);
  return {
    procs: n('procs', 2),
    groups: n('groups', 2),
    bound: n('bound', 1),
    max_pasid: n('max_pasid', 8),
    kworker: n('kworker', 1),
    faults: n('faults', 0),
  };
}

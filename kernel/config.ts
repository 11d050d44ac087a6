import { peekField, refTo } from '../checker/kind.ts';
import type { World } from '../checker/world.ts';
import { kconfig } from './kinds.ts';
import { allocKind } from './types.ts';

/**
 * Kernel configuration switches of a model run, kept in one world object set up
 * by `System.setup` (constant during an execution, so read without logging).
 */
export const KCONFIG = refTo('kconfig', 'kconfig');

export interface KernelConfig {
  /**
   * Run the last fput()'s __fput() synchronously inside fput() (as __fput_sync),
   * instead of as task work on return to user space (fs/file_table.c fput ->
   * task_work_add(TWA_RESUME)). Shows why the deferral matters.
   */
  readonly syncFput?: boolean;
}

export function kernel_config(w: World, config: KernelConfig = {}): void {
  allocKind(w, kconfig, { syncFput: config.syncFput ?? false }, KCONFIG);
}

export function syncFput(w: World): boolean {
  return w.has(KCONFIG) && peekField(w, KCONFIG, 'syncFput');
}

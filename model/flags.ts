/**
 * Switches a design sets instead of replacing a function, where the kernel
 * difference is a configuration rather than code.
 */
export interface Flags {
  /** fput() runs release synchronously instead of deferring __fput to task work (to show why deferral matters) */
  readonly syncFput: boolean;
}

export const DEFAULT_FLAGS: Flags = { syncFput: false };

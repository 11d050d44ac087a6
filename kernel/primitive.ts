/**
 * Names of the kernel's own functions (locking, refcount, wait primitives and
 * their internals). Lockdep reports a lock as taken "at" its caller, the first
 * frame that is not one of these, as the kernel prints `acquire_ip`
 * (`_RET_IP_` of mutex_lock, i.e. the caller: kernel/locking/lockdep.c print_lock).
 */
const PRIMITIVES = new Set<string>();

/** Declares functions as kernel primitives (by their `name`). */
export function primitives(...fns: readonly { readonly name: string }[]): void {
  for (const f of fns) PRIMITIVES.add(f.name);
}

export function isPrimitive(name: string): boolean {
  return PRIMITIVES.has(name);
}

/** The innermost frame that is not a kernel primitive: where a lock is "taken at". */
export function callerOf(stack: readonly string[]): string {
  for (let i = stack.length - 1; i >= 0; i--) {
    const f = stack[i] as string;
    if (!PRIMITIVES.has(f)) return f;
  }
  return stack[0] ?? '?';
}

/** A stack as the trace shows it: outermost first, `a > b > c`. */
export function stackText(stack: readonly string[]): string {
  return stack.length === 0 ? '?' : stack.join(' > ');
}

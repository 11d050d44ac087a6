import type { World } from '../../checker/world.ts';
import { type HeldLock, heldStack, type LockType } from '../task.ts';
import type { DepMode, LockNode } from './deps.ts';

/**
 * Reports in lockdep's own format (kernel/locking/lockdep.c print_circular_bug,
 * print_circular_bug_header, print_circular_lock_scenario, print_deadlock_bug,
 * print_unlock_imbalance_bug, lockdep_print_held_locks). Hex addresses, the
 * `-{n:n}` wait-type suffix and `+0x../0x..` offsets are dropped; the usage
 * string is `{+.+.}` for exclusive-only classes and `{++++}` for classes that
 * are also read (rwsems, lockdep maps).
 */

export function usageOf(type: LockType | undefined): string {
  return type === 'rwsem' || type === 'map' ? '{++++}' : '{+.+.}';
}

function lockLine(cls: string, type: LockType | undefined, at: string): string {
  return ` (${cls})${usageOf(type)}, at: ${at}`;
}

/** lockdep_print_held_locks() */
export function heldLocksText(thread: string, held: readonly HeldLock[]): string[] {
  if (held.length === 0) return [`no locks held by ${thread}.`];
  const out = [`${held.length} lock${held.length > 1 ? 's' : ''} held by ${thread}:`];
  held.forEach((h, i) => {
    out.push(` #${i}:${lockLine(h.class, h.type, h.at)}`);
  });
  return out;
}

/** A stack trace as lockdep prints it: innermost first, one function per line. */
function traceLines(stack: readonly string[], indent: string): string[] {
  return [...stack].reverse().map((f) => `${indent}${f}`);
}

function backtrace(stack: readonly string[]): string[] {
  return ['', 'stack backtrace:', ...traceLines(stack, ' ')];
}

function lockCall(kind: string, cls: string, read = false): string {
  return `${read ? 'r' : ''}${kind}(${cls});`;
}

export interface ChainLink {
  readonly class: string;
  /** where this class was taken while the previous one was held, outermost first */
  readonly stack: readonly string[];
}

export interface CircularBug {
  readonly thread: string;
  readonly mode: DepMode;
  /** what is being acquired or waited for; for a signal, the lock the signaller holds */
  readonly next: LockNode;
  /** the held lock; for a signal, the class being signalled */
  readonly prev: LockNode;
  /** the existing path, from `next` (link 0: the current stack) to `prev` */
  readonly chain: readonly ChainLink[];
  readonly held: readonly HeldLock[];
  /** the current stack, outermost first */
  readonly stack: readonly string[];
  readonly classType: (cls: string) => LockType | undefined;
  /** for a signal: the function the waiter waits with (the last link's) */
  readonly waitFn?: string;
}

/** print_circular_bug(): "WARNING: possible circular locking dependency detected". */
export function circularBugReport(b: CircularBug): string {
  const ty = (c: string) => b.classType(c);
  const o: string[] = [
    '======================================================',
    'WARNING: possible circular locking dependency detected',
    '------------------------------------------------------',
  ];
  if (b.mode === 'signal') {
    o.push(`${b.thread} is trying to signal (${b.prev.fn}):`, lockLine(b.prev.class, ty(b.prev.class), b.prev.at));
    o.push('', 'but task is already holding lock:', lockLine(b.next.class, b.next.lockType, b.next.at));
    o.push('', 'which a waiter for the signal already holds while it waits.', '');
  } else {
    const what = b.mode === 'wait' ? `wait (${b.next.fn})` : 'acquire lock';
    o.push(`${b.thread} is trying to ${what}:`, lockLine(b.next.class, b.next.lockType, b.next.at));
    o.push('', 'but task is already holding lock:', lockLine(b.prev.class, b.prev.lockType, b.prev.at));
    o.push('', 'which lock already depends on the new lock.', '');
  }
  o.push('', 'the existing dependency chain (in reverse order) is:');
  for (let i = b.chain.length - 1; i >= 0; i--) {
    const l = b.chain[i] as ChainLink;
    o.push('', `-> #${i} (${l.class})${usageOf(ty(l.class))}:`, ...traceLines(l.stack, '       '));
  }
  o.push('', 'other info that might help us debug this:', '');
  const source = b.next.class;
  const target = b.prev.class;
  const parent = b.chain.length >= 2 ? (b.chain[b.chain.length - 2] as ChainLink).class : source;
  if (parent !== source) o.push('Chain exists of:', `  ${source} --> ${parent} --> ${target}`, '');
  o.push(' Possible unsafe locking scenario:', '', '       CPU0                    CPU1', '       ----                    ----');
  const cpu1 = '                               ';
  if (b.mode === 'signal') {
    o.push(`${cpu1}${lockCall('lock', parent)}`);
    o.push(`${cpu1}${lockCall(b.waitFn ?? 'wait', target)}`);
    o.push(`  ${lockCall('lock', source, b.next.kind !== 'W')}`);
    o.push(`  ${lockCall(b.prev.fn || 'signal', target)}`);
  } else {
    o.push(`  ${lockCall('lock', target, b.prev.kind !== 'W')}`);
    o.push(`${cpu1}${lockCall('lock', parent)}`);
    o.push(`${cpu1}${lockCall('lock', target)}`);
    o.push(`  ${b.mode === 'wait' ? lockCall(b.next.fn || 'wait', source) : lockCall('lock', source, b.next.kind !== 'W')}`);
  }
  o.push('', ' *** DEADLOCK ***', '');
  o.push(...heldLocksText(b.thread, b.held), ...backtrace(b.stack));
  return o.join('\n');
}

/** print_deadlock_bug(): "WARNING: possible recursive locking detected". */
export function recursiveBugReport(
  thread: string,
  next: LockNode,
  prev: LockNode,
  held: readonly HeldLock[],
  stack: readonly string[],
): string {
  return [
    '============================================',
    'WARNING: possible recursive locking detected',
    '--------------------------------------------',
    `${thread} is trying to acquire lock:`,
    lockLine(next.class, next.lockType, next.at),
    '',
    'but task is already holding lock:',
    lockLine(prev.class, prev.lockType, prev.at),
    '',
    'other info that might help us debug this:',
    ' Possible unsafe locking scenario:',
    '',
    '       CPU0',
    '       ----',
    `  ${lockCall('lock', prev.class, prev.kind !== 'W')}`,
    `  ${lockCall('lock', next.class, next.kind !== 'W')}`,
    '',
    ' *** DEADLOCK ***',
    '',
    ' May be due to missing lock nesting notation',
    '',
    ...heldLocksText(thread, held),
    ...backtrace(stack),
  ].join('\n');
}

/** print_unlock_imbalance_bug(): "WARNING: bad unlock balance detected!". */
export function unlockImbalanceReport(w: World, thread: string, cls: string, at: string, stack: readonly string[]): string {
  return [
    '=====================================',
    'WARNING: bad unlock balance detected!',
    '-------------------------------------',
    `${thread} is trying to release lock (${cls}) at:`,
    at,
    'but there are no more locks to release!',
    '',
    'other info that might help us debug this:',
    ...heldLocksText(thread, heldStack(w, thread)),
    ...backtrace(stack),
  ].join('\n');
}

/** lockdep_assert_held() failing: a WARN_ON at the caller, with the held locks. */
export function assertHeldReport(w: World, thread: string, assertion: string, at: string, stack: readonly string[]): string {
  return [
    '------------[ cut here ]------------',
    `WARNING: ${assertion} failed at ${at}`,
    ...heldLocksText(thread, heldStack(w, thread)),
    ...backtrace(stack),
    '---[ end trace ]---',
  ].join('\n');
}

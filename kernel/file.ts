import type { Ctx } from '../checker/context.ts';
import { getField, type Handle, peekField, type Ref, refTo, setField } from '../checker/kind.ts';
import type { Args, Value } from '../checker/value.ts';
import type { World } from '../checker/world.ts';
import { syncFput } from './config.ts';
import { file as fileKind, filesStruct } from './kinds.ts';
import type { FputEvent, RefcountEvent } from './lockdep/events.ts';
import { primitives } from './primitive.ts';
import { refcountDecAndTest, refcountInc } from './refcount.ts';
import { kfree, kzallocKind, useAfterFree } from './slab.ts';
import { type Gen, isFreed, type Where } from './types.ts';

/**
 * struct file and its reference (fs/file_table.c, include/linux/file_ref.h).
 * The last fput() does not release the file at once: it queues ____fput() as
 * task work (task_work_add(TWA_RESUME)) that runs when the task returns to user
 * space, i.e. after the current operation, on the same thread (ctx.defer). So
 * an fput() under a lock never runs the release callback under that lock. The
 * `syncFput` switch (config.ts) runs __fput() inside fput() instead, to show
 * what that deferral prevents. Once the count is 0 the file is dead for
 * get_file_active()/fget() (file_ref_get fails), even before __fput() runs.
 */

/** `struct file_operations`, reduced to what the model uses. */
export interface FileOperations {
  readonly name: string;
  /** f_op->release, called by __fput() */
  readonly release?: (ctx: Ctx, file: string) => Gen<unknown>;
}

/**
 * f_op tables by name: the world stores the name, as it only holds plain data.
 * Like the kernel's static tables they are constants: one name, one release.
 */
const FOPS = new Map<string, FileOperations>();

export function register_fops(fops: FileOperations): void {
  const old = FOPS.get(fops.name);
  if (old && old.release !== fops.release) throw new Error(`another file_operations is already named ${fops.name}`);
  FOPS.set(fops.name, fops);
}

export interface FileInit {
  readonly id?: string;
  /** the object the file stands for (an id), or null */
  readonly private_data?: string | null;
  /** initial reference count (default 1) */
  readonly count?: number;
}

const F_COUNT = 'f_count' as const;

function fref(file: Handle<'file'>) {
  return { obj: file, field: F_COUNT };
}

/** alloc_file_pseudo()/anon_inode_getfile(): a new file with one reference. */
export function alloc_file(where: Where, fops: FileOperations, init: FileInit = {}): Ref<'file'> {
  register_fops(fops);
  return kzallocKind(where, fileKind, { f_count: init.count ?? 1, f_op: fops.name, private_data: init.private_data ?? null }, init.id);
}

/** alloc_file_pseudo(): the kernel's name for it. */
export const alloc_file_pseudo = alloc_file;

/** get_file(): the caller already holds a reference, so the count cannot be 0 (else: inc from zero). */
export function* get_file(ctx: Ctx, file: Handle<'file'>): Gen<Ref<'file'>> {
  yield* refcountInc(ctx, fref(file), 'get_file');
  return refTo('file', file);
}

/**
 * file_ref_get() as used by get_file_active()/fget(): inc-not-zero. Files are
 * SLAB_TYPESAFE_BY_RCU, so looking at a freed file is allowed and just fails.
 */
function tryGet(w: World, file: Handle<'file'>): number {
  if (isFreed(w, file)) return 0;
  const n = getField(w, refTo('file', file), F_COUNT);
  if (n > 0) setField(w, refTo('file', file), F_COUNT, n + 1);
  return n;
}

function emitRef(ctx: Ctx, file: Handle<'file'>, from: number, fn: string): void {
  const ev: RefcountEvent = { type: 'refcount', obj: file, field: F_COUNT, op: 'inc_not_zero', from, to: from > 0 ? from + 1 : from, fn };
  ctx.emit(ev);
}

/** get_file_active(): the file, or null once it is on its way to __fput(). */
export function* get_file_active(ctx: Ctx, file: Handle<'file'> | null): Gen<Ref<'file'> | null> {
  if (file === null) return null;
  const n = (yield { action: `get_file_active(${file})`, locs: [file], fire: (w) => tryGet(w, file) }) as number;
  emitRef(ctx, file, n, 'get_file_active');
  return n > 0 ? refTo('file', file) : null;
}

/** The task work queued by the last fput(): `____fput` -> __fput. */
export function* ____fput(ctx: Ctx, args: Args): Gen<Value | undefined> {
  // the task work's argument is the file fput() queued it for (put() below)
  yield* ctx.call(__fput, args.file as Ref<'file'>);
  return undefined;
}

/** __fput(): f_op->release, then the file is freed (file_free). */
export function* __fput(ctx: Ctx, file: Handle<'file'>): Gen<void> {
  if (isFreed(ctx.world, file)) useAfterFree(ctx, file, `__fput of ${file}`);
  const fops = FOPS.get(peekField(ctx.world, refTo('file', file), 'f_op'));
  if (fops?.release) yield* ctx.call(fops.release, file);
  yield* kfree(ctx, file);
}

function* put(ctx: Ctx, file: Handle<'file'>, fn: string, sync: boolean | undefined): Gen<void> {
  if (!(yield* refcountDecAndTest(ctx, fref(file), fn))) return;
  const deferred = !(sync ?? syncFput(ctx.world));
  const ev: FputEvent = { type: 'fput', file, deferred };
  ctx.emit(ev);
  if (deferred) ctx.defer('____fput', { file }, ____fput);
  else yield* ctx.call(__fput, file);
}

/**
 * fput(): drops a reference; the last one queues __fput() as task work, or runs
 * it at once with the world's syncFput switch (or `sync`, which overrides it).
 */
export function* fput(ctx: Ctx, file: Handle<'file'>, sync?: boolean): Gen<void> {
  yield* put(ctx, file, 'fput', sync);
}

/** __fput_sync(): the last reference releases the file at once. */
export function* __fput_sync(ctx: Ctx, file: Handle<'file'>): Gen<void> {
  yield* put(ctx, file, '__fput_sync', true);
}

/** A file descriptor table (`struct files_struct`): fd number -> file. */
export function files_init(where: Where, id?: string): Ref<'files_struct'> {
  return kzallocKind(where, filesStruct, {}, id);
}

function fdmap(w: World, files: Handle<'files_struct'>): { readonly [fd: string]: Ref<'file'> } {
  return getField(w, refTo('files_struct', files), 'fd');
}

/** fd_install(): publishes a file (taking over the caller's reference). */
export function* fd_install(_ctx: Ctx, files: Handle<'files_struct'>, fd: number, file: Handle<'file'>): Gen<void> {
  yield {
    action: `fd_install(${fd}, ${file})`,
    locs: [files],
    fire: (w) => {
      setField(w, refTo('files_struct', files), 'fd', { ...fdmap(w, files), [String(fd)]: refTo('file', file) });
      return undefined;
    },
  };
}

/** fget(): looks the fd up and takes a reference if the file is not dying (RCU lookup + file_ref_get). */
export function* fget(ctx: Ctx, files: Handle<'files_struct'>, fd: number): Gen<Ref<'file'> | null> {
  const r = (yield {
    action: `fget(${fd})`,
    locs: [files],
    fire: (w) => {
      const file = fdmap(w, files)[String(fd)];
      if (file === undefined) return null;
      return [file, tryGet(w, file)];
    },
  }) as [Ref<'file'>, number] | null;
  if (r === null) return null;
  emitRef(ctx, r[0], r[1], 'fget');
  return r[1] > 0 ? r[0] : null;
}

/** close_fd(): removes the fd and drops its reference (filp_close -> fput). 0 or -EBADF. */
export function* close_fd(ctx: Ctx, files: Handle<'files_struct'>, fd: number): Gen<number> {
  const file = (yield {
    action: `close_fd(${fd})`,
    locs: [files],
    fire: (w) => {
      const m = fdmap(w, files);
      const f = m[String(fd)];
      if (f === undefined) return null;
      const rest: Record<string, Ref<'file'>> = {};
      for (const [k, v] of Object.entries(m)) if (k !== String(fd)) rest[k] = v;
      setField(w, refTo('files_struct', files), 'fd', rest);
      return f;
    },
  }) as Ref<'file'> | null;
  if (file === null) return -9;
  yield* ctx.call(fput, file);
  return 0;
}

primitives(get_file, get_file_active, __fput, put, fput, __fput_sync, fd_install, fget, close_fd);

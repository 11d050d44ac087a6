import type { Monitor } from '../../checker/monitor.ts';
import type { World } from '../../checker/world.ts';
import { isFreed } from '../../kernel/types.ts';
import { isDupFd } from '../../model/dmabuf/objects.ts';
import type { Property } from '../property.ts';
import { field } from './state.ts';

/**
 * What is left at quiescence, object by object, with who holds it (from the
 * world: fds, actors, links). A dma-buf that nobody holds any more comes
 * first: that is the reference that was lost, and the rest (its attachments,
 * the registration it pins) follows from it.
 */
export function leaks(w: World): string[] {
  const lost: string[] = [];
  const out: string[] = [];
  for (const priv of w.ids('priv')) {
    const state = w.state(priv);
    if (state === 'freed') continue;
    const holders: string[] = [];
    for (const proc of w.ids('process'))
      for (const fd of field<string[]>(w, proc, 'fds'))
        if (fd === priv) holders.push(`an fd of ${proc}`);
        else if (isDupFd(fd) && field(w, fd, 'file') === `${priv}.file`) holders.push(`${fd}, a dup()ed fd of ${proc}`);
    for (const a of w.ids('actor'))
      if (field(w, a, 'priv') === priv) holders.push(`importer thread ${a.slice('actor.'.length)} (dma_buf_get)`);
    for (const p of w.ids('pages')) if (field(w, p, 'dmabuf') === priv && w.state(p) !== 'released') holders.push(`iommufd ${p}`);
    const f = `${priv}.file`;
    const count = w.has(f) && !isFreed(w, f) ? (w.peek(f, 'f_count') as number) : 0;
    (holders.length ? out : lost).push(
      `${priv} not freed (state ${state}, file count ${count}${holders.length ? `, held by ${holders.join(', ')}` : ', no holder left: a reference was lost'})`,
    );
  }
  out.unshift(...lost);
  for (const att of w.ids('att'))
    if (w.state(att) !== 'detached') out.push(`attachment ${att} of ${String(field(w, att, 'dmabuf'))} never detached (${w.state(att)})`);
  for (const p of w.ids('pages')) if (w.state(p) !== 'released') out.push(`iommufd ${p} never released (${w.state(p)})`);
  for (const vdev of w.ids('vdev')) {
    const reg = `${vdev}.refcount`;
    const n = w.peek(reg, 'refcount') as number;
    const base = w.state(vdev).startsWith('registered') ? 1 : 0;
    if (n !== base) {
      const linked = field<string[]>(w, vdev, 'dmabufs');
      out.push(`${vdev} registration count is ${n}, expected ${base}${linked.length ? ` (still linked: ${linked.join(', ')})` : ''}`);
    }
    if (field<number>(w, vdev, 'open_count') !== 0) out.push(`${vdev} still open (open_count ${field<number>(w, vdev, 'open_count')})`);
  }
  out.push(...groupLeaks(w));
  return out;
}

/** The group path (bound vfio_group): once every fd is closed, the group file is released and the container freed. */
function groupLeaks(w: World): string[] {
  const out: string[] = [];
  for (const group of w.ids('vfio_group')) {
    const file = `${group}.file`;
    if (!isFreed(w, file))
      out.push(
        `${file} not freed (file count ${field<number>(w, file, 'f_count')}): ${group} stays attached to ${String(field(w, group, 'container'))}`,
      );
  }
  for (const c of w.ids('vfio_container'))
    if (!isFreed(w, c)) out.push(`${c} not freed (kref ${field<number>(w, `${c}.kref`, 'refcount')})`);
  return out;
}

function quiescence(): Monitor {
  return {
    name: 'refcounts-at-quiescence',
    atEnd(exec) {
      const left = leaks(exec.world);
      if (left.length === 0) return null;
      return {
        kind: 'refcount-leak',
        message: `leaked at quiescence: ${left[0]}${left.length > 1 ? ` (and ${left.length - 1} more)` : ''}`,
        report: left.map((l) => `  ${l}`).join('\n'),
      };
    },
  };
}

export const refcounts: Property = {
  name: 'refcounts',
  domain: 'dmabuf',
  statement:
    'No refcount underflow or increment from zero (file references, device registration, priv->kref); no access (read, write, lock, kref or completion operation, list walk) to a freed object — priv with its kref and completion after vfio_pci_dma_buf_release(), the dma_buf with its resv after dma_buf_release(), an attachment after dma_buf_detach(), an sg table after unmap — reported with the task and functions that freed it and where it was used; no double free; no object used as a struct of another type (a file that is no dma-buf taken for one); release runs exactly once; and at quiescence (every thread done, then every process exited: all fds closed, importers detached, mappings gone) nothing is leaked: every dma-buf is freed, the registration count is back to its baseline, no attachment or iommufd mapping is left, the device is closed and (on the group path) the group file is released and the container freed. The leak report names who still holds each leaked object.',
  checked: ['every step', 'at quiescence'],
  kinds: ['refcount-underflow', 'refcount-inc-from-zero', 'refcount-leak', 'use-after-free', 'double-free', 'type-confusion'],
  limits:
    'Memory is tracked per kernel object: phys_vec is not one; reads of the fields of priv and of an attachment are checked against the free in dma-buf.c and vfio_pci_dmabuf.c (not the fields of the dma_buf kept on priv, nor priv reads of the other files beyond READ_ONCE), lifecycle events are not; a leak is found only when the scenario reaches quiescence (the exit thread runs after all others).',
  monitors: () => [quiescence()],
};

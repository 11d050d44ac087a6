import type { Monitor } from '../../checker/monitor.ts';
import type { Violation } from '../../checker/point.ts';
import type { World } from '../../checker/world.ts';
import type { Property } from '../property.ts';
import { SnapshotMemory } from '../snapshot-memory.ts';
import { field } from './state.ts';

/**
 * Remembers which buffers became permanently unusable in this execution
 * (orphaned by close, or permanently revoked where a design can). That memory
 * is per execution and part of the state key, so caching stays sound.
 */
function stickyMonitor(): Monitor {
  /** buffer -> why it must stay unusable: orphaned, or permanently revoked (status PERM) */
  const sticky = new SnapshotMemory(
    () => new Map<string, 'orphan' | 'perm'>(),
    (m) => new Map(m),
    (m) =>
      [...m]
        .map(([p, why]) => `${p}:${why}`)
        .sort()
        .join(','),
  );
  /** false until the first step has looked at every buffer the setup made */
  let started = false;
  const mark = (priv: string, why: 'orphan' | 'perm') => {
    if (sticky.current.get(priv) !== why) sticky.change().set(priv, why);
  };
  /** Checks one buffer: only a write to it can make it sticky or usable again. */
  const check = (w: World, priv: string): Violation | null => {
    const state = w.state(priv);
    if (state === 'freed') return null;
    if (field(w, priv, 'status') === 'PERM') mark(priv, 'perm');
    else if (state === 'orphan' && !sticky.current.has(priv)) mark(priv, 'orphan');
    const why = sticky.current.get(priv);
    if (!why) return null;
    // only designs with a permanent revoke (OK/TEMP/PERM status) keep a status; the others leave it 'OK'
    if (field(w, priv, 'revoked') !== true || (why === 'perm' && field(w, priv, 'status') !== 'PERM'))
      return {
        kind: 'revoke-not-sticky',
        message: `${priv} became usable again (revoked=${String(field(w, priv, 'revoked'))}, status ${String(field(w, priv, 'status'))}, state ${state}) after it was orphaned or permanently revoked`,
      };
    return null;
  };
  return {
    name: 'revoke-sticky',
    reset() {
      sticky.reset();
      started = false;
    },
    save: () => ({ sticky: sticky.save(), started }),
    load(saved) {
      const s = saved as { sticky: unknown; started: boolean };
      sticky.load(s.sticky);
      started = s.started;
    },
    key: () => sticky.key(),
    afterStep(exec) {
      const w = exec.world;
      // the objects this step wrote: reading only those keeps the check cheap and out of other steps' footprints
      const ids = started ? w.written : w.ids('priv');
      started = true;
      for (const id of ids) {
        if (w.kind(id) !== 'priv') continue;
        const v = check(w, id);
        if (v) return v;
      }
      return null;
    },
  };
}

export const revokeSticky: Property = {
  name: 'revoke-sticky',
  domain: 'dmabuf',
  statement:
    'A dma-buf orphaned by close (vdev = NULL after vfio_pci_dma_buf_cleanup) or permanently revoked (PERM_REVOKED, where a design has a permanent revoke) never becomes usable again: from then on priv->revoked stays true and its status never returns to OK, so no map can succeed.',
  checked: ['every step'],
  kinds: ['revoke-not-sticky'],
  limits:
    'Usability is judged by priv->revoked and the status field, which every map path checks under resv; a design that maps without checking them is caught by no-mapping-survives-revoke instead.',
  monitors: () => [stickyMonitor()],
};

import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { exploreSpace } from '../../checker/search/space-search.ts';
import { load } from '../../kernel/slab.ts';
import { defineVariant } from '../../model/design.ts';
import { svaDomain } from '../../model/sva/domain.ts';
import type { SvaK, SvaTable } from '../../model/sva/functions.ts';
import { iommuLock } from '../../model/sva/objects.ts';
import seed from '../../model/sva/variants/sva-2018-v2.ts';
import coreNowait from '../../model/sva/variants/sva-core-nowait.ts';
import { bondFreedOnce, foreignBindPermission, noLastMmputUnderLock, pasidDmaBound } from '../../properties/sva.ts';
import { systemOf } from '../../properties/system.ts';
import { allMonitors, explore, kindsOf, op, replay, scenario, svaHazard, traceText } from './helpers.ts';

describe('sva-2018-v2: seed 003 as posted', () => {
  it('the replay comment holds: attaching a group while the bound process exits never runs __mmput under iommu->lock, in any interleaving', () => {
    const r = explore(seed, svaHazard('replay-vs-exit'));
    // no last-mmput-under-lock, no lockdep recursion or cycle, no UAF, nothing leaked; the one deadlock is
    // the seed's detach/exit one on another path: the kworker's deferred __mmput runs mm_exit while the
    // owner's exit releases the group fd and waits in shutdown under &iommu->lock (the kworker no longer
    // finishes before the exit: flush_scheduled_work waits for it)
    expect(kindsOf(r)).toEqual(['deadlock']);
    const report = r.byKind.get('deadlock')?.violation.report ?? '';
    expect(report).toMatch(/kworker0: blocked in worker_thread > .*mmput_async_fn > __mmput > .*vfio_iommu_mm_exit > mutex_lock/);
    expect(report).toMatch(/exit0: blocked in ____fput > .*__iommu_sva_unbind_dev_all > io_mm_detach_locked > wait_event/);
    expect(r.coverage.complete).toBe(true);
    expect(r.coverage.states).toBeGreaterThan(1000);
  });

  it('foreign-pid binds: pid 1 (same uid) binds, pid 2 (root) gets -EACCES and changes nothing, pid 9 gets -ESRCH', () => {
    const sc = scenario(
      { user0: [op('bind', { pid: 2 }), op('bind', { pid: 9 }), op('bind', { pid: 1 })] },
      { ...{ procs: 2, groups: 1, bound: 0, max_pasid: 8 } },
    );
    const exec = runScenario(systemOf(svaDomain, seed), sc, SEQUENTIAL, { monitors: allMonitors() });
    expect(exec.violation).toBeNull();
    expect(exec.results('user0')).toEqual([-13, -3, 0]);
    // and in every interleaving with process 1 exiting meanwhile
    const r = explore(
      seed,
      scenario(
        { user0: [op('bind', { pid: 2 }), op('bind', { pid: 1 })], proc0: [op('exit')] },
        { procs: 2, groups: 1, bound: 0, max_pasid: 8 },
      ),
    );
    expect(kindsOf(r).filter((k) => foreignBindPermission.kinds.includes(k))).toEqual([]);
  });

  it('the ioctl checks in order: each malformed argument gets its errno; a fault on the PASID copy-out unwinds through out_delete', () => {
    const how = ['header', 'argsz_header', 'bind_flags', 'argsz', 'params', 'pflags', 'pasid_out', 'no_pid'];
    const sc = scenario(
      { user0: [...how.map((h) => op('bind_bad', { how: h })), op('bind', { pid: 'self' }), op('unbind', { pid: 'self' })] },
      { procs: 2, groups: 1, bound: 0, max_pasid: 8 },
    );
    const exec = runScenario(systemOf(svaDomain, seed), sc, SEQUENTIAL, { monitors: allMonitors(), record: 'full' });
    expect(exec.violation).toBeNull();
    // -EFAULT, -EINVAL (argsz < minsz), -EINVAL (bind.flags), -EINVAL (argsz < bind + params), -EFAULT, -EINVAL (params.flags),
    // -EFAULT from copy_to_user after list_add (out_delete), -ESRCH (no such pid); then bind and unbind self
    expect(exec.results('user0')).toEqual([-14, -22, -22, -22, -14, -22, -14, -3, 0, 0]);
    const trace = traceText(exec);
    // out_delete -> out_unbind: the SVA bond made for process 1 is unbound again and the vfio_mm freed
    expect(trace).toMatch(/user0: kfree\(iommu_bond0\) {2}\[.*__iommu_sva_unbind_device > io_mm_detach_locked > kfree\]/);
    expect(trace).toMatch(/user0: kfree\(vfio_mm0\) {2}\[vfio_iommu_type1_ioctl > vfio_iommu_type1_bind_process > kfree\]/);
  });

  it('finding: detaching the last group deadlocks against the exit of a bound process (real interleaving; lockdep cannot see it)', () => {
    const sc = svaHazard('detach-vs-exit');
    const r = explore(seed, sc);
    expect(kindsOf(r)).toEqual(['deadlock']);
    const f = r.byKind.get('deadlock');
    const report = f?.violation.report ?? '';
    // detach holds iommu->lock and waits in the SVA core for the running mm_exit ...
    expect(report).toMatch(
      /user0: blocked in detach > .*vfio_iommu_type1_detach_group > vfio_iommu_sva_shutdown > iommu_sva_device_shutdown > __iommu_sva_unbind_dev_all > io_mm_detach_locked > wait_event/,
    );
    // ... which waits for iommu->lock
    expect(report).toMatch(
      /proc0: blocked in exit > .*iommu_notifier_release > iommu_signal_mm_exit > vfio_iommu_mm_exit > mutex_lock at mutex_lock\(&iommu0->lock\) — &iommu0->lock is held by user0/,
    );
    const trace = traceText(replay(seed, sc, f?.path ?? []));
    expect(trace).toContain('spin_lock(&iommu_sva_lock): iommu_notifier_release(io_mm0)');
    expect(f?.path.length).toBeLessThanOrEqual(12);
  });

  it('finding: PASID reuse after mm_exit: the DMA programmed for process 1 is translated into process 0 (pasid-dma-bound fails)', () => {
    const r = explore(seed, svaHazard('pasid-reuse'));
    expect(kindsOf(r)).toEqual(['stale-pasid-dma']);
    const f = r.byKind.get('stale-pasid-dma');
    expect(pasidDmaBound.kinds).toContain(f?.violation.kind);
    expect(f?.violation.message).toContain(
      'PASID 1 now belongs to mm0, but the device was programmed with it for mm1 (reused by another process)',
    );
    const trace = traceText(replay(seed, svaHazard('pasid-reuse'), f?.path ?? []));
    // process 1's mm_exit freed its vfio_mm and the SVA core freed PASID 1 before the owner's bind took it
    expect(trace.indexOf('vfio_iommu_mm_exit')).toBeLessThan(trace.indexOf('idr_alloc'));
  });

  it('bounded space (owner: 1 command; process 1 exits; no DMA, no kworker): only the detach/exit deadlock', () => {
    const { bounds } = svaDomain.parseBounds(['ops=1', 'dmas=0', 'kworker=0']);
    const r = exploreSpace(systemOf(svaDomain, seed), svaDomain.space(bounds), svaDomain.searchBounds(bounds), {
      monitors: allMonitors(),
      collectAll: true,
    });
    expect(r.coverage.complete).toBe(true);
    expect(r.scenarios).toBe(7);
    // bond-freed-once, no-last-mmput-under-lock, foreign-bind-permission, lifecycle-legality and lockdep hold
    expect(kindsOf(r)).toEqual(['deadlock']);
    for (const p of [bondFreedOnce, noLastMmputUnderLock, foreignBindPermission])
      for (const k of p.kinds) expect(r.byKind.has(k)).toBe(false);
  });
});

describe('sva-core-nowait: the SVA core choice the seed is silent about', () => {
  it('if unbind does not wait for a running mm_exit, the deadlock becomes a use-after-free of the vfio_iommu', () => {
    const r = explore(coreNowait, svaHazard('detach-vs-exit'));
    expect(kindsOf(r)).toEqual(['use-after-free']);
    const v = r.byKind.get('use-after-free')?.violation;
    expect(bondFreedOnce.kinds).toContain(v?.kind);
    expect(v?.message).toMatch(
      /of iommu0->mm_list in exit > .* > vfio_iommu_mm_exit; iommu0 was freed by user0 in detach > .* > vfio_iommu_type1_release > kfree/,
    );
  });
});

// Mutants that check the properties can fail.

/** mm_access() without the ptrace check. */
function* mm_access_no_check(k: SvaK, task: string, _mode: string) {
  return yield* k.get_task_mm(task);
}

/** vfio_iommu_mm_exit() that frees the bond but leaves it on mm_list. */
function* mm_exit_no_list_del(k: SvaK, _dev: string, pasid: number, iommu: string) {
  yield* k.mutex_lock(iommuLock(iommu));
  for (const m of load<string[]>(k.ctx, iommu, 'mm_list'))
    if (load<number>(k.ctx, m, 'pasid') === pasid) {
      yield* k.kfree(m);
      break;
    }
  yield* k.mutex_unlock(iommuLock(iommu));
  return 0;
}

const noPtrace = defineVariant<SvaTable>(seed, {
  name: 'test-sva-no-ptrace-check',
  summary: 'mutant',
  source: 'test',
  differences: ['mm_access() without ptrace_may_access()'],
  replace: { mm_access: mm_access_no_check },
});
const noListDel = defineVariant<SvaTable>(seed, {
  name: 'test-sva-mm-exit-no-list-del',
  summary: 'mutant',
  source: 'test',
  differences: ['vfio_iommu_mm_exit() without list_del()'],
  replace: { vfio_iommu_mm_exit: mm_exit_no_list_del },
});

describe('the SVA properties fail on their mutants', () => {
  it('foreign-bind-permission: a bind of pid 2 without the ptrace check succeeds', () => {
    const r = explore(noPtrace, scenario({ user0: [op('bind', { pid: 2 })] }, { procs: 2, groups: 1, bound: 0, max_pasid: 8 }));
    expect(kindsOf(r)).toEqual(['unpermitted-bind']);
    expect(r.byKind.get('unpermitted-bind')?.violation.message).toContain(
      'task0 binding task2 without ptrace permission allocated vfio_mm',
    );
  });

  it('bond-freed-once: mm_exit leaves the freed bond listed, free_all_mm frees it again', () => {
    const r = explore(noListDel, scenario({ proc0: [op('exit')] }));
    expect(kindsOf(r)).toEqual(['double-free']);
    const v = r.byKind.get('double-free')?.violation;
    expect(bondFreedOnce.kinds).toContain(v?.kind);
    expect(v?.message).toMatch(
      /kfree\(vfio_mm0\) in .*vfio_iommu_free_all_mm > kfree; already freed by proc0 in exit > .* > vfio_iommu_mm_exit > kfree/,
    );
  });
});

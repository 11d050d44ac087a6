import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { randomSearch } from '../../checker/search/random.ts';
import { exploreSpace } from '../../checker/search/space-search.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { svaDomain } from '../../model/sva/domain.ts';
import seed from '../../model/sva/variants/sva-2018-v2.ts';
import mmputSync from '../../model/sva/variants/sva-mmput-sync.ts';
import noMmExit from '../../model/sva/variants/sva-no-mm-exit.ts';
import noMmgrab from '../../model/sva/variants/sva-unbind-no-mmgrab.ts';
import { bondFreedOnce, noLastMmputUnderLock, pasidDmaBound } from '../../properties/sva.ts';
import { systemOf } from '../../properties/system.ts';
import { allMonitors, explore, kindsOf, op, replay, SETUP, svaHazard, traceText } from './helpers.ts';

describe('sva-mmput-sync: mmput() instead of mmput_async() in vfio_iommu_replay_bind()', () => {
  const sc = svaHazard('replay-vs-exit');

  it('lockdep reports the recursive locking of &iommu->lock through the exit path (and the execution, going on, deadlocks)', () => {
    const r = explore(mmputSync, sc, () => [new LockdepMonitor()]);
    expect(kindsOf(r)).toEqual(['deadlock', 'lockdep-recursion']);
    const v = r.byKind.get('lockdep-recursion')?.violation;
    const report = v?.report ?? '';
    expect(report).toContain('WARNING: possible recursive locking detected');
    expect(report).toContain('user0 is trying to acquire lock:\n (&iommu->lock){+.+.}, at: vfio_iommu_mm_exit');
    expect(report).toContain('but task is already holding lock:\n (&iommu->lock){+.+.}, at: vfio_iommu_type1_attach_group');
    // the backtrace runs from the replay's mmput through the exit notifier into mm_exit
    expect(report).toMatch(
      / vfio_iommu_mm_exit\n iommu_signal_mm_exit\n iommu_notifier_release\n mmu_notifier_release\n exit_mmap\n __mmput\n mmput\n vfio_iommu_replay_bind\n/,
    );
  });

  it('a real interleaving self-deadlocks: the process exits between mmget_not_zero() and mmput()', () => {
    const r = explore(mmputSync, sc, () => []);
    expect(kindsOf(r)).toEqual(['deadlock']);
    const f = r.byKind.get('deadlock');
    expect(f?.violation.report).toMatch(
      /user0: blocked in attach > .*vfio_iommu_replay_bind > mmput > __mmput > .* > vfio_iommu_mm_exit > mutex_lock at mutex_lock\(&iommu0->lock\) — &iommu0->lock is held by user0 \(itself\)/,
    );
    const trace = traceText(replay(mmputSync, sc, f?.path ?? []));
    const get = trace.indexOf('user0: refcount_inc_not_zero(mm1.mm_users)');
    const exit = trace.indexOf('proc0: refcount_dec_and_test(mm1.mm_users)');
    const last = trace.indexOf('user0: refcount_dec_and_test(mm1.mm_users)');
    expect(get).toBeGreaterThanOrEqual(0);
    expect(get).toBeLessThan(exit);
    expect(exit).toBeLessThan(last);
  });

  it('no-last-mmput-under-lock fails; the seed on the same scenario shows none of the three', () => {
    const r = explore(mmputSync, sc);
    expect(kindsOf(r)).toEqual(['deadlock', 'last-mmput-under-lock', 'lockdep-recursion']);
    // the property's report comes first: at __mmput, before mm_exit takes the lock
    expect(r.byKind.get('last-mmput-under-lock')?.path.length).toBeLessThan(r.byKind.get('lockdep-recursion')?.path.length ?? 0);
    expect(noLastMmputUnderLock.kinds).toContain('last-mmput-under-lock');
    expect(r.byKind.get('last-mmput-under-lock')?.violation.message).toContain('user0 drops the last user of mm1 and runs __mmput()');
    // only the seed's detach/exit deadlock, reached at the owner's exit (seed.test.ts)
    expect(kindsOf(explore(seed, sc))).toEqual(['deadlock']);
  });
});

describe('sva-no-mm-exit: the later upstream rule (no mm_exit, PASID kept until unbind, DMA to a dead mm aborted)', () => {
  it('pasid-dma-bound holds by abort semantics: the job of the exited process is aborted, its PASID is not reused', () => {
    const r = explore(noMmExit, svaHazard('pasid-reuse'));
    expect(kindsOf(r)).toEqual([]);
    // process 1 exits, then the owner binds itself (PASID 2), then the device runs process 1's job
    const sc = svaHazard('pasid-reuse');
    const ordered = { ...sc, threads: [sc.threads[1], sc.threads[0], sc.threads[2], sc.threads[3]].filter((t) => t !== undefined) };
    const exec = runScenario(systemOf(svaDomain, noMmExit), ordered, SEQUENTIAL, { monitors: allMonitors() });
    expect(exec.violation).toBeNull();
    expect(exec.results('dma0')).toEqual(['abort']);
    // the seed, same order: the PASID went to the owner and the job wrote into its address space
    const seedExec = runScenario(systemOf(svaDomain, seed), ordered, SEQUENTIAL, { monitors: allMonitors() });
    expect(seedExec.violation?.kind).toBe('stale-pasid-dma');
  });

  it("no deadlock, no use-after-free and nothing leaked on the seed's hazards", () => {
    for (const h of ['replay-vs-exit', 'detach-vs-exit']) expect(kindsOf(explore(noMmExit, svaHazard(h)))).toEqual([]);
  });

  it('bounded space (owner: 1 command; process 1 exits; one DMA; no kworker): every SVA property and lockdep hold', () => {
    const { bounds } = svaDomain.parseBounds(['ops=1', 'kworker=0']);
    const r = exploreSpace(systemOf(svaDomain, noMmExit), svaDomain.space(bounds), svaDomain.searchBounds(bounds), {
      monitors: allMonitors(),
      collectAll: true,
    });
    expect(r.coverage.complete).toBe(true);
    expect(kindsOf(r)).toEqual([]);
  });
});

describe('sva-unbind-no-mmgrab: bonds outlive their mm without an mm_count reference (B30)', () => {
  it('detaching the group after the process exited touches the freed mm in the IOMMU driver', () => {
    const r = explore(noMmgrab, svaHazard('detach-vs-exit'));
    expect(kindsOf(r)).toEqual(['use-after-free']);
    const v = r.byKind.get('use-after-free')?.violation;
    expect(bondFreedOnce.kinds).toContain(v?.kind);
    expect(v?.message).toMatch(
      /write of mm1->asid_pinned in detach > .*__iommu_sva_unbind_dev_all > io_mm_detach_locked > io_mm_release > io_mm_free > arm_smmu_mm_free; mm1 was freed by/,
    );
    expect(v?.report).toContain('BUG: KASAN: slab-use-after-free in arm_smmu_mm_free');
  });

  it('with the mmgrab (sva-no-mm-exit) the same scenario is clean', () => {
    expect(kindsOf(explore(noMmExit, svaHazard('detach-vs-exit')))).toEqual([]);
  });
});

describe('random search over the default space (owner: 2 commands, fork, malformed ioctls; fixed seeds)', () => {
  const { bounds } = svaDomain.parseBounds(['ops=2', 'fork=1', 'errors=1', 'max_pasid=2']);
  const space = svaDomain.space(bounds);
  const sb = svaDomain.searchBounds(bounds);
  const run = (d: typeof seed, seedNo: number, runs: number) =>
    randomSearch(systemOf(svaDomain, d), space, sb, { runs, seed: seedNo, monitors: allMonitors(), minimize: false });

  it('finds a violation of the seed (the detach/exit deadlock or the PASID reuse)', () => {
    const r = run(seed, 42, 400);
    expect(['deadlock', 'stale-pasid-dma']).toContain(r.found?.violation.kind);
  });

  it('finds the B30 use-after-free in sva-unbind-no-mmgrab', () => {
    const r = run(noMmgrab, 42, 400);
    expect(r.found?.violation.kind).toBe('use-after-free');
  });

  it('finds nothing in sva-no-mm-exit', () => {
    const r = run(noMmExit, 42, 600);
    expect(r.found).toBeNull();
    expect(r.runs).toBe(600);
  });

  it('pasid-dma-bound is what the seed breaks when the owner rebinds after the exit', () => {
    const r = randomSearch(systemOf(svaDomain, seed), space, sb, {
      runs: 400,
      seed: 7,
      monitors: allMonitors(),
      isFailure: (v) => pasidDmaBound.kinds.includes(v.kind),
      minimize: false,
    });
    expect(r.found?.violation.kind).toBe('stale-pasid-dma');
    expect(r.found?.scenario.setup).toEqual({ ...SETUP, max_pasid: 2, kworker: 1, faults: 0 });
    expect(r.found?.scenario.threads.some((t) => t.ops.some((o) => o.op === 'bind'))).toBe(true);
    void op;
  });
});

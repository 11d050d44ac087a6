import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { type Scheduler, SEQUENTIAL } from '../../checker/schedule.ts';
import { svaDomain } from '../../model/sva/domain.ts';
import coreNowait from '../../model/sva/variants/sva-core-nowait.ts';
import iopfNoFlush from '../../model/sva/variants/sva-iopf-no-flush.ts';
import noMmExit from '../../model/sva/variants/sva-no-mm-exit.ts';
import { systemOf } from '../../properties/system.ts';
import { allMonitors, explore, kindsOf, op, traceText } from './helpers.ts';

const SETUP = { procs: 2, groups: 2, bound: 1, max_pasid: 8, kworker: 0, faults: 1 };

/** Process 1 (bound at setup, PASID 1) gets a page fault for its DMA job; `owner` ops run meanwhile. */
function faultScenario(owner: ReturnType<typeof op>[], extra: Scenario['threads'] = []): Scenario {
  return {
    setup: SETUP,
    threads: [
      { name: 'user0', ops: owner },
      { name: 'prq0', ops: [op('page_request', { dev: 0, job: 0 })] },
      { name: 'iopf0', ops: [op('worker_thread', { wq: 'iopf' })] },
      ...extra,
      { name: 'exit0', ops: [op('exit_all'), op('flush_scheduled_work'), op('iopf_queue_free')] },
    ],
  };
}

describe('the I/O page-fault path (faults bound): report, iopf queue, worker, flush at unbind', () => {
  it('sequentially: the worker handles the fault in the bound mm under mmap_sem and answers the device', () => {
    const sc = faultScenario([]);
    const exec = runScenario(systemOf(svaDomain, noMmExit), sc, SEQUENTIAL, { monitors: allMonitors(), record: 'full' });
    expect(exec.violation).toBeNull();
    const trace = traceText(exec);
    expect(trace).toMatch(/iopf0: spin_lock\(&iommu_sva_lock\): iommu_sva_find\(1\)/);
    expect(trace).toMatch(/iopf0: down_read\(&mm1->mmap_sem\) {2}\[.*iopf_handle_group > iopf_handle_single > down_read\]/);
    expect(trace).toMatch(/iopf0: handle_mm_fault\(mm1\) for dev0 PASID 1/);
    expect(trace).toMatch(/iopf0: iommu_page_response\(dev0, PASID 1, IOMMU_PAGE_RESP_SUCCESS\)/);
  });

  it('upstream rule (sva-no-mm-exit): UNBIND flushes the fault queue, so no fault is handled in an unbound or reused PASID', () => {
    expect(kindsOf(explore(noMmExit, faultScenario([op('unbind', { pid: 1 })])))).toEqual([]);
    expect(kindsOf(explore(noMmExit, faultScenario([op('unbind', { pid: 1 }), op('bind', { pid: 'self' })])))).toEqual([]);
  });

  it('the flush is a real wait: UNBIND sleeps in flush_workqueue() while the worker handles the fault', () => {
    // the fault is queued and the worker is about to fault it in; then UNBIND runs as far as it can
    let blockedAtFlush = false;
    const pick: Scheduler = {
      choose(runnable, _last, exec) {
        const named = (n: string) => runnable.find((i) => exec.threadNames[i] === n);
        const user = exec.threadNames.indexOf('user0');
        if (!runnable.includes(user) && exec.nextAction(user).includes('flush_workqueue(iopf_wq)')) blockedAtFlush = true;
        const worker = named('iopf0');
        const atFault = worker !== undefined && exec.nextAction(worker).includes('handle_mm_fault(');
        const first = named('prq0') ?? (atFault ? undefined : worker) ?? named('user0');
        return first ?? (runnable[0] as number);
      },
    };
    const exec = runScenario(systemOf(svaDomain, noMmExit), faultScenario([op('unbind', { pid: 1 })]), pick, {
      monitors: allMonitors(),
      record: 'full',
    });
    expect(exec.violation).toBeNull();
    const lines = traceText(exec).split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const flush = at(/user0: flush_workqueue\(iopf_wq\)/);
    const fault = at(/iopf0: handle_mm_fault\(mm1\)/);
    const detach = at(/user0: spin_lock\(&iommu_sva_lock\): __iommu_sva_unbind_device/);
    // user0 reached the flush while the worker held the fault, was blocked there, and went on only after it
    expect(blockedAtFlush).toBe(true);
    expect(fault).toBeGreaterThan(0);
    expect(fault).toBeLessThan(flush);
    expect(flush).toBeLessThan(detach);
    expect(exec.results('user0')).toEqual([0]);
  });

  it('sva-iopf-no-flush: a fault taken off the queue is handled after UNBIND detached the bond', () => {
    const r = explore(iopfNoFlush, faultScenario([op('unbind', { pid: 1 })]), allMonitors);
    expect(kindsOf(r)).toEqual(['stale-pasid-dma']);
    const v = r.byKind.get('stale-pasid-dma')?.violation;
    expect(v?.message).toBe(
      'page request from dev0 tagged PASID 1 translated through mm1: no SVA bond backs PASID 1 on dev0 any more (unbound)',
    );
  });

  it('sva-iopf-no-flush: a queued fault hits the address space of the next process given the PASID', () => {
    const r = explore(iopfNoFlush, faultScenario([op('unbind', { pid: 1 }), op('bind', { pid: 'self' })]));
    const msgs = [...r.byKind.values()].map((f) => f.violation.message);
    expect(kindsOf(r)).toEqual(['stale-pasid-dma']);
    // the shortest is the unbound one; the reuse is among the executions, run in this order:
    const sc = faultScenario([op('unbind', { pid: 1 }), op('bind', { pid: 'self' })]);
    const ordered = { ...sc, threads: [sc.threads[1], sc.threads[0], sc.threads[2], sc.threads[3]].filter((t) => t !== undefined) };
    const exec = runScenario(systemOf(svaDomain, iopfNoFlush), ordered, SEQUENTIAL, { monitors: allMonitors() });
    expect(exec.violation?.message).toContain('PASID 1 now belongs to mm0, but the device was programmed with it for mm1');
    expect(msgs.length).toBe(1);
  });

  it('finding: with faults, a core that does not wait for mm_exit still deadlocks: shutdown flushes the fault queue under &iommu->lock and the worker runs the last mmput', () => {
    const r = explore(coreNowait, faultScenario([op('detach', { group: 0 })], [{ name: 'proc0', ops: [op('exit')] }]));
    expect(kindsOf(r)).toContain('deadlock');
    const report = r.byKind.get('deadlock')?.violation.report ?? '';
    expect(report).toMatch(/user0: blocked in detach > .*__iommu_sva_unbind_dev_all > iopf_queue_flush_dev > flush_workqueue/);
    expect(report).toMatch(/iopf0: blocked in worker_thread > .*iopf_handle_single > mmput > __mmput > .*vfio_iommu_mm_exit > mutex_lock/);
  });
});

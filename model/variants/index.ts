/**
 * Every built-in design, by name. A user's own design is loaded by path
 * (loader/load.ts) and checked like these.
 */
import type { Design } from '../design.ts';
import { upstream71 } from '../dmabuf/upstream/index.ts';
import beforeAttachKrefReinit from '../dmabuf/variants/before-attach-kref-reinit.ts';
import beforeCloseOrder from '../dmabuf/variants/before-close-order.ts';
import beforeCompletionTimeout from '../dmabuf/variants/before-completion-timeout.ts';
import beforeDoubleFree from '../dmabuf/variants/before-double-free.ts';
import beforeHotResetOpenCount from '../dmabuf/variants/before-hot-reset-open-count.ts';
import beforeKrefUnderflow from '../dmabuf/variants/before-kref-underflow.ts';
import beforePinnedImporter from '../dmabuf/variants/before-pinned-importer.ts';
import brokenBarMmapNoRangeCheck from '../dmabuf/variants/broken-bar-mmap-no-range-check.ts';
import brokenBarRwLockAcrossCopy from '../dmabuf/variants/broken-bar-rw-lock-across-copy.ts';
import brokenBarZapOneVma from '../dmabuf/variants/broken-bar-zap-one-vma.ts';
import brokenCleanupNoFileCheck from '../dmabuf/variants/broken-cleanup-no-file-check.ts';
import brokenCleanupOrphanFirst from '../dmabuf/variants/broken-cleanup-orphan-first.ts';
import brokenDupNoGetFile from '../dmabuf/variants/broken-dup-no-get-file.ts';
import brokenExportBornRevoked from '../dmabuf/variants/broken-export-born-revoked.ts';
import brokenExportFdEarly from '../dmabuf/variants/broken-export-fd-early.ts';
import brokenFlrRerevoke from '../dmabuf/variants/broken-flr-rerevoke.ts';
import brokenGroupUnuseNoFput from '../dmabuf/variants/broken-group-unuse-no-fput.ts';
import brokenReleaseNoUnlink from '../dmabuf/variants/broken-release-no-unlink.ts';
import brokenRevokeAnyFd from '../dmabuf/variants/broken-revoke-any-fd.ts';
import brokenRevokeWaitUnderResv from '../dmabuf/variants/broken-revoke-wait-under-resv.ts';
import evans2026 from '../dmabuf/variants/evans-2026-rfc-v2.ts';
import jgg2022 from '../dmabuf/variants/jgg-2022-v2.ts';
import kasireddy2024 from '../dmabuf/variants/kasireddy-2024-v1.ts';
import merged619 from '../dmabuf/variants/merged-6.19.ts';
import { svaDesigns } from '../sva/index.ts';

export type AnyDesign = Design<object>;

const dmabuf: AnyDesign[] = [
  upstream71,
  merged619,
  jgg2022,
  kasireddy2024,
  evans2026,
  beforeKrefUnderflow,
  beforeAttachKrefReinit,
  beforeCompletionTimeout,
  beforePinnedImporter,
  beforeDoubleFree,
  beforeCloseOrder,
  beforeHotResetOpenCount,
  brokenCleanupOrphanFirst,
  brokenFlrRerevoke,
  brokenCleanupNoFileCheck,
  brokenExportFdEarly,
  brokenExportBornRevoked,
  brokenReleaseNoUnlink,
  brokenRevokeWaitUnderResv,
  brokenBarRwLockAcrossCopy,
  brokenBarMmapNoRangeCheck,
  brokenDupNoGetFile,
  brokenRevokeAnyFd,
  brokenGroupUnuseNoFput,
  brokenBarZapOneVma,
];

export function builtinDesigns(): AnyDesign[] {
  return [...dmabuf, ...svaDesigns];
}

export function findBuiltin(name: string): AnyDesign | undefined {
  return builtinDesigns().find((d) => d.name === name);
}

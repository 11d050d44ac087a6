import type { EventFromLogic } from 'xstate';
import { compileLifecycle } from '../../../checker/lifecycle/index.ts';
import { attachmentMachine } from './attachment.ts';
import { deviceMachine } from './device.ts';
import { dmabufMachine } from './dmabuf.ts';
import { iommufdMachine } from './iommufd.ts';
import { vmaMachine } from './vma.ts';

/** The XState definitions: the single source of truth for each object's lifecycle. */
export const machines = {
  device: deviceMachine,
  dmabuf: dmabufMachine,
  attachment: attachmentMachine,
  iommufd: iommufdMachine,
  vma: vmaMachine,
} as const;

/** Their compiled (memoized) forms, shared by every execution. */
export const lifecycles = {
  device: compileLifecycle(deviceMachine),
  dmabuf: compileLifecycle<EventFromLogic<typeof dmabufMachine>>(dmabufMachine),
  attachment: compileLifecycle(attachmentMachine),
  iommufd: compileLifecycle(iommufdMachine),
  vma: compileLifecycle(vmaMachine),
} as const;

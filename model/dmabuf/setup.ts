/** The parameters of the dma-buf model's initial world, as a scenario's setup gives them (model/dmabuf/space.ts derives them from the bounds). */
import type { Args } from '../../checker/value.ts';

export interface SetupParams {
  readonly devices: number;
  readonly exported: number;
  readonly no_command_memory: boolean;
  /** BARs each device implements: 0..bars-1 */
  readonly bars: number;
  /** the devices were opened through a VFIO group attached to a container, whose fds the process holds (bound vfio_group) */
  readonly vfio_group: boolean;
}

/** A setup's values, with the model's defaults for what it leaves out. */
export function setupParamsOf(a: Args): SetupParams {
  return {
    devices: typeof a.devices === 'number' ? a.devices : 1,
    exported: typeof a.exported === 'number' ? a.exported : 0,
    no_command_memory: a.no_command_memory === true,
    bars: typeof a.bars === 'number' ? a.bars : 1,
    vfio_group: a.vfio_group === true,
  };
}

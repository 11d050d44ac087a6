import type { Monitor } from '../../checker/monitor.ts';
import type { World } from '../../checker/world.ts';
import type { Property } from '../property.ts';
import { SnapshotMemory } from '../snapshot-memory.ts';
import { alive, decodeUnavailable, field, privsOfDevice } from './state.ts';

/**
 * The operations that bring memory decode back, by kernel function, and the
 * device argument of each (null: every device of the dev_set).
 */
const REENABLERS: Record<string, (args: unknown[]) => string | null> = {
  vfio_basic_config_write_command: (a) => a[0] as string,
  vfio_lock_and_set_power_state: (a) => a[0] as string,
  vfio_exp_config_write_flr: (a) => a[0] as string,
  vfio_pci_ioctl_reset: (a) => a[0] as string,
  vfio_pci_runtime_pm_exit: (a) => a[0] as string,
  vfio_pci_dev_set_hot_reset: () => null,
};
/** LOW_POWER_ENTRY: revokes; by the uAPI its buffers are un-revoked by LOW_POWER_EXIT, not by a wake-up. */
const LOW_POWER_ENTRY = 'vfio_pci_runtime_pm_entry';

/**
 * The devices a runtime-PM entry (LOW_POWER_ENTRY) revoked and no re-enabling
 * operation has touched since: by the uAPI their buffers stay revoked until
 * LOW_POWER_EXIT, even once a wake-eventfd resume has powered the device up
 * (kernel-upstream.md §11, sticky states). Per execution, so part of the key.
 */
function livenessMonitor(): Monitor {
  const lowPower = new SnapshotMemory(
    () => new Set<string>(),
    (s) => new Set(s),
    (s) => [...s].sort().join(','),
  );
  const devicesOf = (w: World, one: string | null) => (one ? [one] : (w.peek('devset0', 'devices') as string[]));
  return {
    name: 'unrevoke-liveness',
    reset: () => lowPower.reset(),
    save: () => lowPower.save(),
    load: (saved) => lowPower.load(saved),
    key: () => lowPower.key(),
    onEvent(ev, exec) {
      if (ev.type !== 'return') return null;
      const args = ev.args as unknown[];
      if (ev.fn === LOW_POWER_ENTRY) {
        if (!lowPower.current.has(args[0] as string)) lowPower.change().add(args[0] as string);
        return null;
      }
      const which = REENABLERS[ev.fn as string];
      if (!which) return null;
      if (typeof ev.ret === 'number' && ev.ret < 0) return null;
      const w = exec.world;
      const devices = devicesOf(w, which(args));
      for (const vdev of devices) if (lowPower.current.has(vdev)) lowPower.change().delete(vdev);
      const left = stillRevoked(w, devices);
      if (!left) return null;
      return {
        kind: 'unrevoke-missed',
        message: `${ev.fn as string}(${args.map(String).join(', ')}) returned with ${left.vdev}'s memory decode enabled, but ${left.priv} is still revoked: a fresh map would fail -ENODEV`,
      };
    },
    // between operations nothing is half done: a buffer revoked while its device decodes is revoked for good
    afterStep(exec) {
      if (!exec.betweenOperations()) return null;
      const w = exec.world;
      const left = stillRevoked(
        w,
        devicesOf(w, null).filter((d) => !lowPower.current.has(d)),
      );
      if (!left) return null;
      return {
        kind: 'unrevoke-missed',
        message: `no thread is inside an operation, ${left.vdev}'s memory decode is enabled, but ${left.priv} is still revoked: a fresh map would fail -ENODEV`,
      };
    },
  };
}

export const unrevokeLiveness: Property = {
  name: 'unrevoke-liveness',
  domain: 'dmabuf',
  statement:
    'When an operation that can bring memory decode back returns (PCI_COMMAND write, PM_CTRL write, FLR, VFIO_DEVICE_RESET, hot reset, LOW_POWER_EXIT) and leaves the device open with memory decode enabled, not in reset and not runtime-PM engaged, every live dma-buf still linked to the device that is only temporarily revoked has been un-revoked by it (priv->revoked is false), so a fresh map succeeds; and the same holds of every device at every state where no thread is inside an operation (each is done or about to start its next one, its task work run), whichever operation left it so, but for a device that LOW_POWER_ENTRY revoked and no re-enabling operation has run on since (its buffers stay revoked until LOW_POWER_EXIT, even after a wake-eventfd resume).',
  checked: ['every step'],
  kinds: ['unrevoke-missed'],
  returns: [...Object.keys(REENABLERS), LOW_POWER_ENTRY],
  limits:
    'Runtime resume through the wake eventfd (vfio_pci_core_runtime_resume) is not a re-enabling operation: upstream leaves buffers revoked until LOW_POWER_EXIT, which this property then checks. A PCI_COMMAND write that fails in vfio_default_config_write() is not modelled.',
  monitors: () => [livenessMonitor()],
};

/** The first live, temporarily revoked dma-buf still linked to a device of `devices` that decodes memory, or null. */
function stillRevoked(w: World, devices: readonly string[]): { vdev: string; priv: string } | null {
  for (const vdev of devices) {
    if (decodeUnavailable(w, vdev) || field(w, vdev, 'pm_runtime_engaged')) continue;
    for (const priv of privsOfDevice(w, vdev)) {
      if (!alive(w, priv) || field(w, priv, 'status') === 'PERM') continue;
      if (field(w, priv, 'revoked') === true) return { vdev, priv };
    }
  }
  return null;
}

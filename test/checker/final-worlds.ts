/** A monitor that collects final worlds, whatever order their objects were created in (two searches compared). */
import type { Monitor } from '../../checker/monitor.ts';

export function finalWorlds(): { monitor: Monitor; seen: Set<string> } {
  const seen = new Set<string>();
  const monitor: Monitor = {
    name: 'final-worlds',
    atEnd(exec) {
      seen.add(`${exec.threadNames.join()}|${exec.world.key().split(/[;#]/).sort().join('|')}`);
      return null;
    },
  };
  return { monitor, seen };
}

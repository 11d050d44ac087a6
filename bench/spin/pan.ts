/**
 * Builds and runs SPIN on the tight model (../shared/spin/), as its README
 * does: `spin -D... -a`, `gcc -O2 -DSAFETY [-DNOREDUCE] -DMEMLIM=20000`,
 * `./pan -m100000 -w26`, in a temporary directory. CPU time is pan's own
 * (user + system of the child, from bash's `times`); memory is pan's
 * "total actual memory usage".
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SPIN_DIR = fileURLToPath(new URL('../../../shared/spin/', import.meta.url));
const MODEL = 'vfio_dmabuf_tight.pml';

export interface PanRun {
  readonly states: number;
  readonly transitions: number;
  readonly cpuSeconds: number;
  readonly statesPerCpuSec: number;
  readonly memoryMb: number;
  readonly errors: number;
  readonly reduced: boolean;
}

/** Why SPIN cannot run here, or null when it can (installing it with apt-get when it is absent and we may). */
export function spinUnavailable(): string | null {
  if (!existsSync(join(SPIN_DIR, MODEL))) return `no ${MODEL} in ${SPIN_DIR}`;
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (!has('spin')) {
    const root = process.getuid?.() === 0;
    const r = spawnSync('sh', ['-c', `${root ? '' : 'sudo -n '}apt-get install -y spin`], { stdio: 'ignore', timeout: 300_000 });
    if (r.status !== 0 || !has('spin')) return 'spin is not installed and `apt-get install spin` failed';
  }
  if (!has('gcc')) return 'gcc is not installed';
  return null;
}

const num = (text: string, re: RegExp): number => {
  const m = re.exec(text);
  if (!m) throw new Error(`pan's output has no ${re.source}:\n${text.slice(0, 2000)}`);
  return Number(m[1]);
};

/** One SPIN run with these -D defines; `reduced` keeps SPIN's partial-order reduction (no -DNOREDUCE). */
export function runPan(defines: readonly string[], reduced: boolean): PanRun {
  const dir = mkdtempSync(join(tmpdir(), 'spin-tight-'));
  try {
    for (const f of readdirSync(SPIN_DIR)) if (f.endsWith('.pml')) copyFileSync(join(SPIN_DIR, f), join(dir, f));
    execFileSync('spin', [...defines, '-a', MODEL], { cwd: dir, stdio: 'ignore' });
    const cflags = ['-O2', '-DSAFETY', ...(reduced ? [] : ['-DNOREDUCE']), '-DMEMLIM=20000'];
    execFileSync('gcc', [...cflags, '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'ignore' });
    // `times` prints the shell's, then its children's user and system time
    const out = execFileSync('bash', ['-c', './pan -m100000 -w26; times'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
    const times = out.trim().split('\n').pop() ?? '';
    const secs = [...times.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    if (secs.length !== 2) throw new Error(`cannot read pan's CPU time from "${times}"`);
    const cpuSeconds = (secs[0] as number) + (secs[1] as number);
    const states = num(out, /(\d+) states, stored/);
    return {
      states,
      transitions: num(out, /(\d+) transitions \(= stored\+matched\)/),
      cpuSeconds,
      statesPerCpuSec: cpuSeconds > 0 ? states / cpuSeconds : Number.POSITIVE_INFINITY,
      memoryMb: num(out, /([\d.]+)\s+total actual memory usage/),
      errors: num(out, /errors: (\d+)/),
      reduced,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

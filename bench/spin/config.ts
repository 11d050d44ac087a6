/** The configuration macros of vfio_dmabuf_tight.pml and its named configurations T1–T6 (../shared/spin/README.md). */

export const NB = 2;

/** The configuration macros of the Promela model (its defaults are T1). */
export interface TightParams {
  readonly ni: number;
  readonly nw: number;
  readonly wops: number;
  readonly irounds: number;
  readonly nf: number;
  readonly syncmask: number;
  /** the seeded bugs: -DBUG_NOWAIT, -DBUG_PREFIX */
  readonly bug: 'none' | 'nowait' | 'prefix';
  /** -DNOP2, -DNOP3: property 2 (no mapping after move(true)) or 3 (kref > 0) off */
  readonly nop2: boolean;
  readonly nop3: boolean;
  /**
   * count as SPIN does: init's d_step and its `run` statements are steps (the
   * runs inside atomic{} leave no stored state but the last), and each process
   * exits by a step of its own, allowed once every process created after it has
   * exited (Promela's rule). Off: the world starts where init leaves it and a
   * process is gone at its last statement.
   */
  readonly spinCounting: boolean;
}

export const DEFAULTS: TightParams = {
  ni: 2,
  nw: 1,
  wops: 2,
  irounds: 1,
  nf: 0,
  syncmask: 1,
  bug: 'none',
  nop2: false,
  nop3: false,
  spinCounting: false,
};

export type ConfigName = 'T1' | 'T2' | 'T3' | 'T4' | 'T5' | 'T6';

/** The configurations of ../shared/spin/README.md, with SPIN's -DNOREDUCE state counts. */
export const CONFIGS: Readonly<
  Record<ConfigName, { readonly params: Partial<TightParams>; readonly defines: string; readonly spinStates: number }>
> = {
  T1: { params: {}, defines: '', spinStates: 353_128 },
  T2: { params: { ni: 3 }, defines: '-DNI=3', spinStates: 3_652_712 },
  T3: { params: { nw: 2 }, defines: '-DNW=2', spinStates: 4_584_367 },
  T4: { params: { wops: 3, irounds: 2, nf: 1 }, defines: '-DWOPS=3 -DIROUNDS=2 -DNF=1', spinStates: 8_433_900 },
  T5: { params: { ni: 3, nw: 2, wops: 1 }, defines: '-DNI=3 -DNW=2 -DWOPS=1', spinStates: 10_300_261 },
  T6: { params: { ni: 3, nw: 2, wops: 2 }, defines: '-DNI=3 -DNW=2 -DWOPS=2', spinStates: 49_510_000 },
};

export function paramsOf(config: ConfigName, extra: Partial<TightParams> = {}): TightParams {
  return { ...DEFAULTS, ...CONFIGS[config].params, ...extra };
}

/** The -D flags of spin for these parameters. */
export function spinDefines(p: TightParams): string[] {
  const out: string[] = [];
  for (const [k, macro] of [
    ['ni', 'NI'],
    ['nw', 'NW'],
    ['wops', 'WOPS'],
    ['irounds', 'IROUNDS'],
    ['nf', 'NF'],
    ['syncmask', 'SYNCMASK'],
  ] as const)
    if (p[k] !== DEFAULTS[k]) out.push(`-D${macro}=${p[k]}`);
  if (p.bug === 'nowait') out.push('-DBUG_NOWAIT');
  if (p.bug === 'prefix') out.push('-DBUG_PREFIX');
  if (p.nop2) out.push('-DNOP2');
  if (p.nop3) out.push('-DNOP3');
  return out;
}

/** Which engine runs thread code: native generators, or compiled frames (docs/engine.md "The compiled engine"). */
export type Engine = 'generators' | 'compiled';

export const ENGINES: readonly Engine[] = ['generators', 'compiled'];

/**
 * What a run does with its states: a keyed search (exhaustive, sleep sets,
 * DPOR, the SPIN-like search: anything that fingerprints, saves and restores
 * states) or a run that only steps (random mode, replay, a trace).
 */
export type RunKind = 'keyed' | 'random';

/**
 * The engine the user named (`--engine`, or VFIO_DMABUF_MODEL_ENGINE, which
 * also reaches --jobs workers); none: each kind of run takes its own default.
 */
export const engineChoice: { engine: Engine | undefined } = {
  engine: engineNamed(process.env.VFIO_DMABUF_MODEL_ENGINE),
};

function engineNamed(name: string | undefined): Engine | undefined {
  return ENGINES.find((e) => e === name);
}

/**
 * The engine of a run that names none. A keyed search takes frames: a state is
 * what its threads hold, so states the generator engine's log hash kept apart
 * merge (docs/engine-counts.md), and a thread is restored by copying, not by
 * re-running its log. A random run keys and restores nothing, and native
 * generators step about 25% faster there.
 */
export function defaultEngineFor(kind: RunKind, chosen: Engine | undefined = engineChoice.engine): Engine {
  if (chosen) return chosen;
  return kind === 'keyed' ? 'compiled' : 'generators';
}

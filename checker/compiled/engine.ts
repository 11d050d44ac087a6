/** Which engine runs thread code when an execution does not say (the CLI's --engine sets it). */
export type Engine = 'generators' | 'compiled';

export const ENGINES: readonly Engine[] = ['generators', 'compiled'];

export const engineDefault: { engine: Engine } = {
  engine: process.env.VFIO_DMABUF_MODEL_ENGINE === 'compiled' ? 'compiled' : 'generators',
};

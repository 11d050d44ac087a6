import type { FileOperations } from '../kernel/file.ts';

/**
 * The file_operations of each design, by name (`dma_buf_fops@upstream-7.1`):
 * kernel/file.ts keeps the name in the world and wants the same object every
 * time a file is allocated with it.
 */
const tables = new Map<string, FileOperations>();

export function fopsFor(design: string, fops: string): FileOperations {
  const name = `${fops}@${design}`;
  const t = tables.get(name);
  if (!t) throw new Error(`no ${fops} registered for design ${design}`);
  return t;
}

export function defineFops(design: string, fops: string, release: FileOperations['release']): void {
  const name = `${fops}@${design}`;
  if (!tables.has(name)) tables.set(name, { name, ...(release ? { release } : {}) });
}

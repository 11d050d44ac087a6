import type { FileOperations } from '../kernel/file.ts';

/** How many Systems so far had each design name: only to keep f_op names apart, never to find a table. */
const systemsNamed = new Map<string, number>();

/**
 * The file_operations of one System, by f_op name. The world keeps a file's
 * f_op by name (`dma_buf_fops@upstream-7.1`) and kernel/file.ts finds the
 * release by it, so a System whose design has the name of an earlier one (a
 * variant module named like a built-in or like another module) names its own
 * `dma_buf_fops@name#2`: each file releases through its own design's functions.
 */
export class Fops {
  private readonly tag: string;
  private readonly tables = new Map<string, FileOperations>();

  constructor(design: string) {
    const n = (systemsNamed.get(design) ?? 0) + 1;
    systemsNamed.set(design, n);
    this.tag = n === 1 ? design : `${design}#${n}`;
  }

  define(fops: string, release: FileOperations['release']): void {
    if (this.tables.has(fops)) throw new Error(`${fops} defined twice for design ${this.tag}`);
    this.tables.set(fops, { name: `${fops}@${this.tag}`, ...(release ? { release } : {}) });
  }

  get(fops: string): FileOperations {
    const t = this.tables.get(fops);
    if (!t) throw new Error(`no ${fops} defined for design ${this.tag}`);
    return t;
  }
}

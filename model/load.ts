/**
 * Finding a design: a built-in name, or a path to a user's variant module
 * written against the public API (index.ts). A module default-exports either a
 * Design, or a function that receives the public API and returns one (so a
 * file outside this repository needs no import path to it).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { digest } from '../checker/value.ts';
import type { Design } from './design.ts';
import { type AnyDesign, builtinDesigns, findBuiltin } from './variants/index.ts';

/** A design that could not be found or loaded: the message is one line naming what is valid. */
export class DesignError extends Error {}

export interface LoadedDesign {
  readonly design: AnyDesign;
  /** set when loaded from a file */
  readonly path?: string;
  /** digest of the module's text (files) or of the design's function names (built-ins) */
  readonly digest: string;
}

const looksLikePath = (s: string) => s.includes('/') || s.endsWith('.ts') || s.endsWith('.js') || s.endsWith('.mjs');

function isDesign(v: unknown): v is Design<object> {
  const d = v as Design<object> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.name === 'string' &&
    typeof d.functions === 'object' &&
    (d.domain === 'dmabuf' || d.domain === 'sva')
  );
}

export async function loadDesign(nameOrPath: string): Promise<LoadedDesign> {
  if (!looksLikePath(nameOrPath)) {
    const d = findBuiltin(nameOrPath);
    if (!d)
      throw new DesignError(
        `unknown variant "${nameOrPath}" (variants: ${builtinDesigns()
          .map((x) => x.name)
          .join(', ')}; or a path to a variant module)`,
      );
    return { design: d, digest: digest(Object.keys(d.functions).sort().join(',') + d.replaced.join(',')) };
  }
  const path = resolve(nameOrPath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DesignError(`cannot read variant module ${nameOrPath}`);
  }
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (e) {
    throw new DesignError(`cannot load variant module ${nameOrPath}: ${String((e as Error).message).split('\n')[0]}`);
  }
  let d: unknown = mod.default;
  if (typeof d === 'function') {
    const api = await import('../index.ts');
    try {
      d = (d as (api: unknown) => unknown)(api);
    } catch (e) {
      throw new DesignError(`variant module ${nameOrPath} threw while building its design: ${String((e as Error).message).split('\n')[0]}`);
    }
  }
  if (!isDesign(d))
    throw new DesignError(`variant module ${nameOrPath} must default-export a design (defineVariant(...)) or a function (api) => design`);
  return { design: d, path, digest: digest(text) };
}

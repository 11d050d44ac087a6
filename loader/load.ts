/**
 * Finding a design: a built-in name, or a path to a user's variant module
 * written against the public API (index.ts). A module default-exports either a
 * Design, or a function that receives the public API and returns one (so a
 * file outside this repository needs no import path to it). The API it
 * receives is api.ts plus loadDesign, which is what index.ts exports: the
 * loader is above the model and the properties, and nothing it loads imports it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as api from '../api.ts';
import { digest } from '../checker/value.ts';
import type { Design } from '../model/design.ts';
import { designDomain } from '../model/design-domain.ts';
import { domainOf } from '../model/domains.ts';
import { DEFAULT_FLAGS } from '../model/flags.ts';
import { type AnyDesign, builtinDesigns, findBuiltin } from '../model/variants/index.ts';

/** A design that could not be found or loaded: the message is one line naming what is valid. */
export class DesignError extends Error {}

export interface LoadedDesign {
  readonly design: AnyDesign;
  /** set when loaded from a file */
  readonly path?: string;
  /** digest of the module's text (files) or of the design's function names (built-ins): what version-1 counterexample files record */
  readonly digest: string;
  /** set when loaded from a file: the sha256 of its text, what version-2 counterexample files record */
  readonly sha256?: string;
}

/** Whether a --variant argument is a module path rather than a built-in name. */
const looksLikePath = (s: string) => s.includes('/') || s.endsWith('.ts') || s.endsWith('.js') || s.endsWith('.mjs');

function isDesign(v: unknown): v is Design<object> {
  const d = v as Design<object> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.name === 'string' &&
    typeof d.functions === 'object' &&
    d.functions !== null &&
    (d.domain === 'dmabuf' || d.domain === 'sva')
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What is wrong with a module's design, or null. A module may build its design
 * by hand instead of with defineVariant(), so everything the tool later relies
 * on is checked here, where the error can still name the module: a design
 * that is only half a design would otherwise pass every property unexercised
 * or fail deep inside a search.
 */
function shapeError(d: Design<object>): string | null {
  const root = builtinDesigns().find((b) => b.domain === d.domain && b.base === null);
  if (!root) return `no built-in ${d.domain} design to compare with`;
  const fns = d.functions as Record<string, unknown>;
  const missing = Object.keys(root.functions).filter((n) => !Object.hasOwn(fns, n));
  if (missing.length) return `its functions lack ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`;
  const extra = Object.keys(fns).filter((n) => !Object.hasOwn(root.functions, n) && !d.added?.includes(n));
  if (extra.length) return `its functions include ${extra[0]}, which ${d.domain} designs do not have`;
  const notFn = Object.keys(fns).find((n) => typeof fns[n] !== 'function');
  if (notFn) return `its function ${notFn} is not a function`;
  if (!isRecord(d.flags) || Object.keys(DEFAULT_FLAGS).some((k) => typeof (d.flags as unknown as Record<string, unknown>)[k] !== 'boolean'))
    return `its flags must be an object of booleans (${Object.keys(DEFAULT_FLAGS).join(', ')})`;
  if (!isRecord(d.bounds) || Object.values(d.bounds).some((n) => !Number.isSafeInteger(n)))
    return 'its bounds must be an object of integers';
  if (!isRecord(d.notApplicable) || Object.values(d.notApplicable).some((t) => typeof t !== 'string'))
    return 'its notApplicable must map property names to reasons';
  if (!Array.isArray(d.replaced) || !Array.isArray(d.differences)) return 'its replaced and differences must be lists';
  if (!Array.isArray(d.focus) || d.focus.some((c) => typeof c !== 'string')) return 'its focus must be a list of command names';
  const badOp = operationError(d);
  if (badOp) return badOp;
  // its focus may name the operations it adds
  const domain = designDomain(d);
  let commands: Set<string>;
  try {
    commands = new Set(domain.space({ ...domain.defaultBounds, ...d.bounds }).roles.flatMap((r) => r.commands.map((c) => c.op)));
  } catch {
    return null; // bounds out of range: reported with the bounds' own message when they are parsed
  }
  const unknown = d.focus.find((c) => !commands.has(c));
  if (unknown !== undefined) return `its focus names "${unknown}", which is no command of the ${d.domain} model`;
  return null;
}

/** What is wrong with the operations a design adds (Design.operations), or null. */
function operationError(d: Design<object>): string | null {
  if (d.operations === undefined) return null;
  if (!isRecord(d.operations)) return 'its operations must map operation names to operations';
  // the design's own added actors (Design.actors) may run its operations too
  const actors = [...domainOf(d.domain).signatures.actors.map((a) => a.role), ...Object.keys(isRecord(d.actors) ? d.actors : {})];
  for (const [name, op] of Object.entries(d.operations)) {
    if (!isRecord(op) || typeof op.run !== 'function' || !isRecord(op.signature) || !isRecord(op.signature.args))
      return `its operation ${name} must have an actor, a signature with args, and a run function`;
    if (!actors.includes(op.actor))
      return `its operation ${name} is for actor "${op.actor}", which the ${d.domain} model has not (actors: ${actors.join(', ')})`;
  }
  return null;
}

/**
 * The message of anything thrown, on one line (a module may throw a non-Error).
 * The TypeScript compiler (esbuild, under tsx) says only "Transform failed with
 * 1 error:" on its first line: its next line is the one that says where and what.
 */
function thrownText(e: unknown): string {
  const text = e instanceof Error ? e.message : `it threw ${String(e)}`;
  const compiler = /^(.*):(\d+):(\d+): ERROR: (.*)$/m.exec(text);
  if (text.startsWith('Transform failed') && compiler)
    return `syntax error in ${compiler[1]}:${compiler[2]}:${compiler[3]}: ${compiler[4]}`;
  return text.split('\n')[0] ?? '';
}

/** A built-in design by name only: never a module (a name from a file must not choose code to run). */
export function loadBuiltin(name: string): LoadedDesign {
  const d = findBuiltin(name);
  if (!d)
    throw new DesignError(
      `unknown variant "${name}" (variants: ${builtinDesigns()
        .map((x) => x.name)
        .join(', ')}; or a path to a variant module)`,
    );
  return { design: d, digest: digest(Object.keys(d.functions).sort().join(',') + d.replaced.join(',')) };
}

export async function loadDesign(nameOrPath: string): Promise<LoadedDesign> {
  if (!looksLikePath(nameOrPath)) return loadBuiltin(nameOrPath);
  const path = resolve(nameOrPath);
  let text: string;
  try {
    // a device or a FIFO would never finish reading
    if (!statSync(path).isFile()) throw new DesignError(`cannot read variant module ${nameOrPath}: it is not a regular file`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof DesignError) throw e;
    throw new DesignError(`cannot read variant module ${nameOrPath}`);
  }
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (e) {
    throw new DesignError(`cannot load variant module ${nameOrPath}: ${thrownText(e)}`);
  }
  let d: unknown = mod.default;
  if (typeof d === 'function') {
    try {
      d = (d as (api: unknown) => unknown)({ ...api, loadDesign });
    } catch (e) {
      throw new DesignError(`variant module ${nameOrPath} threw while building its design: ${thrownText(e)}`);
    }
  }
  if (!isDesign(d))
    throw new DesignError(`variant module ${nameOrPath} must default-export a design (defineVariant(...)) or a function (api) => design`);
  const wrong = shapeError(d);
  if (wrong) throw new DesignError(`variant module ${nameOrPath} does not give a usable design: ${wrong}`);
  return { design: d, path, digest: digest(text), sha256: createHash('sha256').update(text).digest('hex') };
}

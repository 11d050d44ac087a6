/**
 * A compiled thread's identity: what its frames (function, resume point,
 * locals) and its pending point hold, as a hash for fingerprints and as text
 * for exact keys (docs/engine.md). It replaces the hash of the thread's log
 * of world reads: two paths that leave a thread with equal frames at an equal
 * point are one state, whatever it read on the way.
 *
 * A frame's compiled function is itself, or, when it was made at run time (a
 * generator written inside a plain function), its tag, as a closure's.
 *
 * Values are hashed by what they are: primitives, arrays and plain objects by
 * content; a closure made by compiled code by its tag (the function that made
 * it, which closure, the values it captured); a thread's Ctx by its thread; a
 * frame held in a local (the body of a `yield*` already running) by its
 * function, its state being on the stack; any other object by its prototype
 * and own fields (the bound kernel tables model/bind.ts makes per operation),
 * and past a few levels by identity (never equal to another object: sound,
 * only less merging).
 */
import { Ctx } from '../context.ts';
import { extend, type Fp, hashString } from '../fingerprint.ts';
import type { Point } from '../point.ts';
import { type ClosureTag, Frame } from './runtime.ts';

const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object): number {
  let i = ids.get(o);
  if (i === undefined) ids.set(o, (i = nextId++));
  return i;
}

const s: Fp = { a: 0, b: 0 };
const DEEP = 6;
/** set by hashAny when it hashed an array or object by content: a frame holding one cannot keep its hash */
let byContent = false;

/**
 * hashString's result per string, for the few strings frames hold (names of
 * functions, objects, locks: some hundred at a bound), each met at most states:
 * a lookup instead of a loop over its characters. Bounded, for a model that
 * makes strings without end (past the bound a string is hashed as it comes).
 */
const strings = new Map<string, Fp>();
const STRINGS = 1 << 14;

/** Appends a string's hash to `h`: what extend(h, hashString(v)) appends. */
function extendStr(h: Fp, v: string, mix = 0): void {
  let f = strings.get(v);
  if (f === undefined) {
    f = hashString(v, { a: 0, b: 0 });
    if (strings.size < STRINGS) strings.set(v, f);
  }
  extend(h, f.a ^ mix, f.b);
}

/** Appends a value's hash to `h`. */
export function hashAny(v: unknown, h: Fp, depth = 0): void {
  switch (typeof v) {
    case 'undefined':
      extend(h, 0x0badf00d, 0x5eed1e55);
      return;
    case 'boolean':
      extend(h, v ? 0x5bd1e995 : 0x68e31da4, v ? 0x1b873593 : 0x3c6ef372);
      return;
    case 'number':
      if ((v | 0) === v) extend(h, v ^ 0x7f4a7c15, Math.imul(v, 0x2545f491) + 0x165667b1);
      else {
        hashString(`#${v}`, s);
        extend(h, s.a, s.b);
      }
      return;
    case 'string':
      extendStr(h, v);
      return;
    case 'function': {
      const tag = (v as { $tag?: ClosureTag }).$tag;
      if (tag) hashTag(tag, h, depth);
      else extend(h, 0xf2f2f2f2, idOf(v));
      return;
    }
    case 'object':
      break;
    default:
      hashString(String(v), s);
      extend(h, s.a ^ 0x77, s.b);
      return;
  }
  if (v === null) {
    extend(h, 0x2f1e3d4c, 0x1a2b3c4d);
    return;
  }
  if (depth > DEEP) {
    extend(h, 0xdeadbeef, idOf(v));
    return;
  }
  if (Array.isArray(v)) {
    byContent = true;
    extend(h, 0xa1a1a1a1, v.length);
    for (const x of v) hashAny(x, h, depth + 1);
    return;
  }
  if (v instanceof Ctx) {
    extendStr(h, v.thread, 0xc7c7);
    return;
  }
  if (v instanceof Frame) {
    extend(h, 0xf7f7f7f7, 0);
    hashMaker(v.of, h);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (!byFields(proto)) {
    extend(h, 0xdeadbeef, idOf(v));
    return;
  }
  if (proto === Object.prototype || proto === null) {
    byContent = true;
    extend(h, 0xb1b1b1b1, 0);
    hashFields(v, h, depth);
    return;
  }
  // made over a table's prototype (model/bind.ts, one per operation, over the design's constant extras): shallow,
  // and never written after it is made, so a frame holding one keeps its hash
  extend(h, 0xb1b1b1b1, idOf(proto));
  // own fields only (for-in would walk the prototype's whole table)
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    extendStr(h, k);
    if (typeof x === 'object' && x !== null && !(x instanceof Ctx)) extend(h, 0xdeadbeef, idOf(x));
    else hashAny(x, h, depth + 1);
  }
}

function hashFields(v: object, h: Fp, depth: number): void {
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    extendStr(h, k);
    hashAny((v as Record<string, unknown>)[k], h, depth + 1);
  }
}

/**
 * Plain objects, and objects made with Object.create over a plain object (the
 * tables model/bind.ts makes), are their fields; a class instance, Map or Set
 * keeps state its own fields do not show, so it is itself (by identity).
 */
function byFields(proto: object | null): boolean {
  return proto === Object.prototype || proto === null || !Object.hasOwn(proto, 'constructor');
}

/** A frame's compiled function: by its tag when it was made at run time (transform.ts tagPlainClosures), else itself. */
function tagOf(of: object): ClosureTag | undefined {
  return (of as { $tag?: ClosureTag }).$tag;
}

function hashMaker(of: object, h: Fp): void {
  const tag = tagOf(of);
  if (tag) hashTag(tag, h, 0);
  else extend(h, 0xf3f3f3f3, idOf(of));
}

function hashTag(tag: ClosureTag, h: Fp, depth: number): void {
  extend(h, 0xf1f1f1f1 ^ tag.site, 0);
  // made by a compiled copy that was itself made at run time: by that copy's tag
  hashMaker(tag.of, h);
  for (const x of tag.values) hashAny(x, h, depth + 1);
  if (tag.in) hashTag(tag.in, h, depth + 1);
}

/** Appends a stack of compiled frames to `h` (every frame must be a Frame). */
export function hashFrames(frames: readonly unknown[], h: Fp): void {
  extend(h, 0x51a51a51, frames.length);
  for (const x of frames) {
    const f = x as Frame;
    if (!f.hk) hashFrame(f);
    extend(h, f.ha, f.hb);
  }
}

const one: Fp = { a: 0, b: 0 };

/** A frame's own hash into f.ha/f.hb, kept (f.hk) when nothing in it is hashed by content. */
function hashFrame(f: Frame): void {
  const h = one;
  h.a = 0x3c6ef372;
  h.b = 0xa54ff53a;
  byContent = false;
  hashMaker(f.of, h);
  extend(h, f.n, f.p);
  extend(h, f.c, 0x3c3c3c3c);
  if (f.c !== 0) hashAny(f.u, h);
  if (f.rec) hashAny(f.rec, h);
  // `this` of a generator method: a thread's ctx, or a module's table (by identity: hashing a table's functions would cost more)
  if (f.self instanceof Ctx) hashAny(f.self, h);
  else if (f.self !== null && f.self !== undefined) extend(h, 0x5e1f5e1f, idOf(f.self));
  const L = f.L;
  // only the locals the frame may still read (liveness.ts): a dead one cannot tell two states apart
  const live = f.live?.[f.n];
  if (live) for (const k of live) hashAny(L[k], h);
  else for (const k in L) hashAny(L[k], h);
  f.ha = h.a;
  f.hb = h.b;
  f.hk = !byContent;
}

/** Appends a pending point to `h`: its action, objects and join, and its closures by their tags. */
export function hashPoint(p: Point, h: Fp): void {
  extendStr(h, p.action);
  hashAny(p.locs, h);
  if (p.joinAll) {
    extend(h, 0x101, 0x202);
    hashAny(p.joinExcept, h);
  }
  hashAny(p.enabled, h);
  hashAny(p.fire, h);
  hashAny(p.waitsFor, h);
}

/** A value as the text of an exact key: what hashAny hashes. */
export function keyAny(v: unknown, depth = 0): string {
  switch (typeof v) {
    case 'undefined':
      return 'u';
    case 'boolean':
    case 'number':
      return String(v);
    case 'string':
      return JSON.stringify(v);
    case 'function': {
      const tag = (v as { $tag?: ClosureTag }).$tag;
      return tag ? keyTag(tag, depth) : `#${idOf(v)}`;
    }
    case 'object':
      break;
    default:
      return `?${String(v)}`;
  }
  if (v === null) return 'null';
  if (depth > DEEP) return `#${idOf(v)}`;
  if (Array.isArray(v)) return `[${v.map((x) => keyAny(x, depth + 1)).join(',')}]`;
  if (v instanceof Ctx) return `ctx:${v.thread}`;
  if (v instanceof Frame) return `frame:${keyMaker(v.of)}`;
  const proto = Object.getPrototypeOf(v);
  if (!byFields(proto)) return `#${idOf(v)}`;
  const plain = proto === Object.prototype || proto === null;
  let out = `{${plain ? '' : `@${idOf(proto)}`}`;
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    const shallow = !plain && typeof x === 'object' && x !== null && !(x instanceof Ctx);
    out += `${JSON.stringify(k)}:${shallow ? `#${idOf(x)}` : keyAny(x, depth + 1)},`;
  }
  return `${out}}`;
}

function keyMaker(of: object): string {
  const tag = tagOf(of);
  return tag ? keyTag(tag, 0) : `${idOf(of)}`;
}

function keyTag(tag: ClosureTag, depth: number): string {
  return `f${keyMaker(tag.of)}.${tag.site}(${tag.values.map((x) => keyAny(x, depth + 1)).join(',')})${tag.in ? keyTag(tag.in, depth + 1) : ''}`;
}

/** The exact-key text of a stack of compiled frames and its pending point. */
export function framesKey(frames: readonly unknown[], p: Point): string {
  let out = '';
  for (const x of frames) {
    const f = x as Frame;
    const self = f.self instanceof Ctx ? keyAny(f.self) : f.self === null || f.self === undefined ? '' : `#${idOf(f.self)}`;
    out += `<${keyMaker(f.of)}@${f.n}.${f.p}.${f.c}${f.c !== 0 ? keyAny(f.u) : ''}${f.rec ? keyAny(f.rec) : ''}:${self}`;
    const live = f.live?.[f.n];
    if (live) for (const k of live) out += `,${keyAny(f.L[k])}`;
    else for (const k in f.L) out += `,${keyAny(f.L[k])}`;
    out += '>';
  }
  return `${out}${JSON.stringify(p.action)}${keyAny(p.locs)}${p.joinAll ? `join${keyAny(p.joinExcept)}` : ''}${keyAny(p.enabled)}${keyAny(p.fire)}${keyAny(p.waitsFor)}`;
}

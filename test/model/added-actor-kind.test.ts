/**
 * A variant that adds an actor (with its bound key) and an object kind
 * (examples/variants/kvm-dmabuf-memslot.ts, hypothetical): nothing changes at
 * the default bound, the bound brings its threads, its scenario runs, the
 * checks pass, and the defects a reviewer would write are caught.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import kvm from '../../examples/variants/kvm-dmabuf-memslot.ts';
import * as api from '../../index.ts';
import { loadDesign } from '../../loader/load.ts';
import { checkScenario, runScenario } from '../../loader/scenario-api.ts';
import { type AddedActor, type Design, defineVariant, signaturesWith } from '../../model/design.ts';
import { designDigest } from '../../model/design-digest.ts';
import { designDomain, withAddedActors } from '../../model/design-domain.ts';
import { domainOf } from '../../model/domains.ts';
import { errname } from '../../model/errno.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { cli, expectUsageError, REPO } from '../cli/helpers.ts';
import { here } from '../cli/here.ts';

const EXAMPLE = join(REPO, 'examples', 'variants', 'kvm-dmabuf-memslot.ts');
const SCENARIO = join(REPO, 'examples', 'scenarios', 'kvm-memslot-revoke.json');
const design = kvm(api) as unknown as Design;
const upstream = findBuiltin('upstream-7.1') as Design;

describe('an added actor', () => {
  const domain = designDomain(design);
  const base = domainOf('dmabuf');
  it('has no thread at the default bound: the space is the base model`s', () => {
    expect(domain.defaultBounds.kvm).toBe(0);
    const b = domain.parseBounds([]).bounds;
    expect(domain.space(b).roles.map((r) => r.role)).toEqual(base.space(base.parseBounds([]).bounds).roles.map((r) => r.role));
    expect(domain.searchBounds(b)).toEqual(base.searchBounds(base.parseBounds([]).bounds));
  });

  it('gets its threads from its bound, before the exit thread, running what the design says', () => {
    const b = domain.parseBounds(['kvm=2', 'exported=2']).bounds;
    const roles = domain.space(b).roles;
    expect(roles.map((r) => r.role).slice(-2)).toEqual(['kvm', 'exit']);
    const role = roles.find((r) => r.role === 'kvm');
    expect(role?.min).toBe(2);
    const prelude = role?.prelude as (i: number) => { op: string; args: object }[];
    expect(prelude(1).map((o) => o.op)).toEqual(['kvm_set_memslot', 'kvm_guest_access', 'kvm_guest_access', 'kvm_delete_memslot']);
    expect(prelude(1)[0]?.args).toEqual({ dmabuf: 1 });
    expect(() => domain.parseBounds(['kvm=3'])).toThrow('bound kvm=3 is impossible: expected an integer from 0 to 2');
    expect(() => base.parseBounds(['kvm=1'])).toThrow(/unknown bound "kvm"/);
  });

  it('is an actor of the signatures, with its operations', () => {
    const a = signaturesWith(base.signatures, design).actors.find((x) => x.role === 'kvm');
    expect(a).toMatchObject({ maxThreads: 2, ops: ['kvm_set_memslot', 'kvm_guest_access', 'kvm_delete_memslot'] });
    expect(design.operations?.kvm_set_memslot?.actor).toBe('kvm');
  });

  it('composes over a domain that takes commands by role: its own roles stay out of them', () => {
    let given: unknown;
    const shaped = { ...base, space: (b: never, f: never, byRole: unknown) => ((given = byRole), base.space(b, f)) } as typeof base;
    const d = withAddedActors(shaped, design);
    const call = d.space as (b: object, f: string[], byRole: object) => unknown;
    call(d.parseBounds(['kvm=1']).bounds, [], { primary: [{ op: 'x' }], kvm: [{ op: 'kvm_guest_access' }] });
    expect(given).toEqual({ primary: [{ op: 'x' }] });
  });

  const actor = (bound: string): AddedActor => ({ bound, help: 'x' });
  const spec = (actors: Record<string, AddedActor>) => ({ name: 'v', summary: '', source: '', differences: [], add: { actors } });
  it('refuses a role or a bound the model or the base already has, and a role threads cannot be named after', () => {
    expect(() => defineVariant(design, spec({ kvm: actor('kvm2') }))).toThrow(
      /adds actor kvm, which design user-kvm-dmabuf-memslot already has/,
    );
    expect(() => defineVariant(design, spec({ vcpu: actor('kvm') }))).toThrow(/adds bound kvm/);
    expect(() => defineVariant(upstream, spec({ kvm2: actor('k') }))).toThrow(/a role is lower-case letters and _/);
    expect(() => designDomain(defineVariant(upstream, spec({ extra: actor('sync') })))).toThrow(
      'design v adds actor extra with bound sync, which the dmabuf model already has',
    );
    expect(() => signaturesWith(base.signatures, defineVariant(upstream, spec({ primary: actor('p') })))).toThrow(
      'design v adds actor primary, which the model already has',
    );
  });
});

describe('an added object kind', () => {
  const kind = design.kinds?.kvm_memslot;
  const spec = (kinds: object) => ({ name: 'v', summary: '', source: '', differences: [], add: { kinds } }) as never;
  it('is the design`s, and its variants`', () => {
    expect(kind?.lifecycle?.name).toBe('kvm_memslot');
    expect(Object.keys(defineVariant(design, { name: 'w', summary: '', source: '', differences: [] }).kinds ?? {})).toEqual([
      'kvm_memslot',
    ]);
  });
  it('is part of the design`s digest: a counterexample file sees its machine change', () => {
    const other = api.machineKind('kvm_memslot', {}, api.extendMachine(api.machines.vma, { id: 'kvm_memslot2' }), [{ type: 'ZAP' }]);
    expect(designDigest({ ...design, kinds: { kvm_memslot: other } })).not.toBe(designDigest(design));
    expect(designDigest(upstream)).toBe(designDigest({ ...upstream, operations: {} }));
  });

  it('is refused twice, or under a name it was not declared with', () => {
    expect(() => defineVariant(design, spec({ kvm_memslot: kind }))).toThrow(
      /adds kind kvm_memslot, which design user-kvm-dmabuf-memslot already has/,
    );
    expect(() => defineVariant(upstream, spec({ slot: kind }))).toThrow('variant v adds kind slot declared as kvm_memslot');
  });
});

describe('the example and its scenario', () => {
  it('runs the scenario: the guest reaches the BAR through its SPTE until the revoke zaps it', () => {
    const r = runScenario(design, SCENARIO);
    expect(r.steps.map((s) => errname(s.value))).toEqual(['0', '0', '0', '0', '-EFAULT', '0', '0']);
    expect(r.violations).toEqual([]);
  });

  it('passes every property over every interleaving of the scenario', () => {
    const results = checkScenario(design, SCENARIO, { modes: ['exhaustive'] });
    expect(results.map((r) => r.verdict)).toEqual(results.map(() => 'pass'));
  });

  it('a move_notify that does not zap lets the guest reach the BAR after memory decode went off', async () => {
    const broken = (await loadDesign(join(REPO, 'test', 'model', 'fixtures', 'kvm-memslot-no-zap.ts'))).design;
    const r = runScenario(broken, SCENARIO);
    expect(r.violations.map((v) => v.kind)).toEqual(['mmio-while-unavailable']);
    expect(r.violations[0]?.message).toMatch(/CPU access through an mmap of priv0 reached BAR0 while/);
  });
});

describe('check from the command line', () => {
  it('passes with one vCPU thread', async () => {
    const r = await here(['check', '--variant', EXAMPLE, '--bound', 'kvm=1', 'sync=0', '--mode', 'exhaustive', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.results.every((p: { verdict: string }) => p.verdict === 'pass')).toBe(true);
  }, 60_000);

  it('replays the saved counterexample of the no-zap defect (examples/counterexamples/kvm-memslot-no-zap.json)', async () => {
    const file = join(REPO, 'examples', 'counterexamples', 'kvm-memslot-no-zap.json');
    // in its own process: the design digest the file records reads the functions' text, which is the
    // command line's JavaScript (load.ts modelJavaScript), not the one Vite reprints for the tests
    const r = await cli(['replay', file, '--variant', 'test/model/fixtures/kvm-memslot-no-zap.ts']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/REPRODUCED: mmio-while-unavailable at step 28, the same trace as recorded/);
    expect(r.stdout).not.toMatch(/CHANGED since the file was saved/);
    expect(r.code).toBe(1); // a reproduced violation, as check's
  }, 60_000);

  it('refuses the bound on a design that does not add the actor', async () => {
    expect(expectUsageError(await here(['check', '--bound', 'kvm=1']))).toMatch(/unknown bound "kvm"/);
  });
});

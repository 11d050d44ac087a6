/**
 * A user-written scenario from a fresh directory outside the repository, after
 * `npm install` of the checkout (the package is not published): the command
 * line through the installed bin, and the public API through an import of the
 * package by name.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO, tempDir } from './helpers.ts';

it('npm install of the checkout, then run and runScenario from there', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), '{"name": "mine", "private": true, "type": "module"}\n');
  // a local directory installs as a link: no registry is asked
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', REPO], { cwd: dir, stdio: 'pipe' });
  copyFileSync(join(REPO, 'examples', 'scenarios', 'export-mmap-revoke.json'), join(dir, 'mine.json'));
  const out = execFileSync(join(dir, 'node_modules', '.bin', 'vfio-dmabuf-model'), ['run', 'mine.json', '--variant', 'evans-2026-rfc-v2'], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(out).toMatch(/cpu_access\(\) +VM_FAULT_SIGBUS/);
  expect(out).toContain('No violation: 9 steps ran.');
  writeFileSync(
    join(dir, 'use.ts'),
    `import { designs, runScenario } from 'vfio-dmabuf-model';
const r = runScenario(designs['evans-2026-rfc-v2'] as never, 'mine.json');
console.log(r.steps.map((s) => String(s.value)).join(' '));
`,
  );
  const api = execFileSync(join(REPO, 'node_modules', '.bin', 'tsx'), ['use.ts'], { cwd: dir, encoding: 'utf8' });
  expect(api.trim()).toBe('3 0 0 0 VM_FAULT_SIGBUS -77 0 0 0');
}, 120_000);

it('a variant that adds an ioctl, with its scenario, runs from outside the repository', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), '{"name": "mine", "private": true, "type": "module"}\n');
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', REPO], { cwd: dir, stdio: 'pipe' });
  // outside the checkout the file imports the API's types by the package's name
  const variant = readFileSync(join(REPO, 'examples', 'variants', 'feature-revoke-all.ts'), 'utf8').replace(
    "'../../index.ts'",
    "'vfio-dmabuf-model'",
  );
  expect(variant).toContain("from 'vfio-dmabuf-model'");
  writeFileSync(join(dir, 'revoke-all.ts'), variant);
  copyFileSync(join(REPO, 'examples', 'scenarios', 'revoke-all.json'), join(dir, 'revoke-all.json'));
  const bin = join(dir, 'node_modules', '.bin', 'vfio-dmabuf-model');
  // the added feature revokes for good on a device that still decodes memory: unrevoke-liveness says so
  // at the first state where no thread is inside an operation (exit 1, as for any violation)
  const run = spawnSync(bin, ['run', 'revoke-all.json', '--variant', 'revoke-all.ts'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(1);
  expect(run.stdout).toMatch(/revoke_all\(\) +0\n +VIOLATION unrevoke-missed: no thread is inside an operation/);
  expect(run.stdout).toMatch(/sync_dma_access\(\) +-EFAULT/);
  const check = spawnSync(bin, ['check', '--scenario', 'revoke-all.json', '--variant', 'revoke-all.ts', '--mode', 'exhaustive'], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(check.status, check.stderr).toBe(1);
  expect(check.stdout).toMatch(/unrevoke-liveness +exhaustive +FAIL .*unrevoke-missed/);
  expect(check.stdout).toMatch(/refcounts +exhaustive +pass/);
}, 180_000);

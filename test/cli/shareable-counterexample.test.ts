/**
 * A counterexample found with a user's design module records the module by
 * its path relative to the working directory and the sha256 of its text, so
 * the two travel together: copied elsewhere (another checkout, another
 * machine), the file replays with the module at the same relative path, and
 * the replay says it is the very module the file was saved with.
 */

import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cli, REPO, tempDir } from './helpers.ts';

it('the file and its module move together and still replay', async () => {
  const here = tempDir();
  mkdirSync(join(here, 'designs'));
  const text = `export default function (api: any) {
  return api.defineVariant(api.designs['evans-2026-rfc-v2'], { name: 'mine', summary: 's', source: 's', differences: [], replace: {} });
}
`;
  writeFileSync(join(here, 'designs', 'mine.ts'), text);
  cpSync(join(REPO, 'examples', 'scenarios', 'export-mmap-revoke.json'), join(here, 's.json'));
  const r = await cli(
    [
      'check',
      '--variant',
      'designs/mine.ts',
      '--scenario',
      's.json',
      '--mode',
      'exhaustive',
      '--property',
      'no-mapping-survives-revoke',
      '--out',
      'cx',
      '--json',
    ],
    { cwd: here },
  );
  expect(r.code, r.stderr).toBe(1);
  const [name] = readdirSync(join(here, 'cx'));
  const cx = JSON.parse(readFileSync(join(here, 'cx', name as string), 'utf8'));
  expect(cx.design).toMatchObject({
    name: 'mine',
    path: join('designs', 'mine.ts'),
    sha256: createHash('sha256').update(text).digest('hex'),
  });
  expect(JSON.stringify(cx)).not.toContain(here);

  const there = tempDir();
  cpSync(here, there, { recursive: true });
  const rep = await cli(['replay', join('cx', name as string), '--variant', cx.design.path], { cwd: there });
  expect(rep.code, rep.stderr).toBe(1);
  expect(rep.stdout).toContain('the one the file was saved with');
  expect(rep.stdout).toMatch(/REPRODUCED: mapping-survives-revoke/);
  // an edited module is named as such
  writeFileSync(join(there, 'designs', 'mine.ts'), `${text}// edited\n`);
  const edited = await cli(['replay', join('cx', name as string), '--variant', cx.design.path], { cwd: there });
  expect(edited.stdout).toContain('NOT the module the file was saved with');
});

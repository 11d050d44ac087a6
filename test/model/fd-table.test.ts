/**
 * The fd table of the primary process (dup, close of any fd: model/dmabuf/upstream/file.ts), the
 * REVOKE ioctl given any fd (dma_buf_get's f_op check), the VFIO group path's fds and their close
 * order (upstream/vfio_group.ts), and for each a design that breaks it, caught with a counterexample
 * that replays.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../loader/scenario-api.ts';
import { errname } from '../../model/errno.ts';
import { replayFile } from '../../properties/replay.ts';
import { builtin, checkOne } from './one-property.ts';

const SCENARIO = 'examples/scenarios/dup-close-revoke.json';

/** refcounts of a built-in design, exhaustively, at its own bounds and focus */
function refcounts(name: string, over: string[] = []) {
  const d = builtin(name);
  return checkOne(name, 'refcounts', [...Object.entries(d.bounds).map(([k, v]) => `${k}=${v}`), ...over], d.focus);
}

async function replays(name: string) {
  const { outcome } = await replayFile(readFileSync(`counterexamples/${name}/refcounts.json`, 'utf8'));
  return outcome;
}

describe('dup() and close() of any fd, REVOKE given any fd', () => {
  it('evans-2026-rfc-v2 revokes through a dup, rejects the device fd and its dup with -EINVAL, and a closed fd with -EBADF', () => {
    const r = runScenario(builtin('evans-2026-rfc-v2'), SCENARIO);
    expect(r.violations).toEqual([]);
    expect(r.steps.map((s) => errname(s.value))).toEqual([
      '16', // dup of the device fd
      '17', // dup of the dma-buf fd
      '0', // close of the original dma-buf fd: the dup still holds the file
      '0', // REVOKE through the dup: the same buffer
      '-EBADFD', // already permanently revoked
      '-EINVAL', // the device fd: not a dma-buf (is_dma_buf_file)
      '-EINVAL', // its dup
      '0', // close of the dup: the last reference
      '-EBADF', // closed already
      '-EBADF', // REVOKE of a closed fd
      '0', // close of the device fd: its dup holds the file
      '0', // the last device fd
      '0', // exit
    ]);
  });

  it('upstream-7.1 has no REVOKE (-ENOTTY) and releases each file at its last close', () => {
    const r = runScenario(builtin('upstream-7.1'), SCENARIO);
    expect(r.violations).toEqual([]);
    expect(r.steps.map((s) => errname(s.value))).toEqual([
      '16',
      '17',
      '0',
      '-ENOTTY',
      '-ENOTTY',
      '-ENOTTY',
      '-ENOTTY',
      '0',
      '-EBADF',
      '-ENOTTY', // the ioctl is unknown before its fd is looked at
      '0',
      '0',
      '0',
    ]);
  });

  it('upstream-7.1 passes refcounts with dup and close (fds=1)', () => {
    expect(checkOne('upstream-7.1', 'refcounts', ['fds=1', 'sync=0', 'ops=2'], ['dup_fd', 'close_fd', 'close_dmabuf_fd'])?.verdict).toBe(
      'pass',
    );
  });

  it('broken-dup-no-get-file: the second close of a dup()ed file puts a reference nobody took', async () => {
    const r = refcounts('broken-dup-no-get-file');
    expect(r?.verdict).toBe('fail');
    expect(r?.counterexample?.violation.kind).toBe('refcount-underflow');
    expect(r?.counterexample?.violation.message).toMatch(/underflow.*fput\(vdev0\.file\.f_count\) in exit_all/);
    expect(await replays('broken-dup-no-get-file')).toBe('reproduced');
  });

  it('broken-revoke-any-fd: REVOKE of the device fd takes its file for a dma-buf', async () => {
    const r = refcounts('broken-revoke-any-fd');
    expect(r?.verdict).toBe('fail');
    expect(r?.counterexample?.violation.kind).toBe('type-confusion');
    expect(r?.counterexample?.violation.message).toMatch(
      /reads vdev0, the private_data of vdev0\.file \(a vfio_device_fops file\), as a struct dma_buf/,
    );
    expect(await replays('broken-revoke-any-fd')).toBe('reproduced');
    // with the f_op check (Evans as posted) the same bound passes
    expect(
      checkOne('evans-2026-rfc-v2', 'refcounts', ['fds=1', 'exports=0', 'dmabuf_mmappers=0', 'ops=1'], ['revoke_dmabuf'])?.verdict,
    ).toBe('pass');
  });
});

describe('the VFIO group and container fds (vfio_group=1)', () => {
  it('closing the group and container fds first: the device close releases the group, which frees the container', () => {
    const r = runScenario(builtin('upstream-7.1'), 'examples/scenarios/group-close-order.json');
    expect(r.violations).toEqual([]);
    expect(r.steps.map((s) => errname(s.value))).toEqual([
      '0', // close(group fd): the device's reference keeps the group attached
      '0', // close(container fd): the group's kref keeps the container
      '0', // close(device fd): last close → fput(group file) → vfio_group_fops_release → detach → container freed
      '-EBADF', // VFIO_GROUP_GET_DEVICE_FD needs the group fd
      '0',
    ]);
  });

  it('upstream-7.1 passes refcounts in every close order', () => {
    expect(checkOne('upstream-7.1', 'refcounts', ['vfio_group=1', 'sync=0', 'ops=3'], ['close_fd', 'close_device_fd'])?.verdict).toBe(
      'pass',
    );
  });

  it('broken-group-unuse-no-fput: the group file outlives every fd, attached to its container', async () => {
    const r = refcounts('broken-group-unuse-no-fput');
    expect(r?.verdict).toBe('fail');
    expect(r?.counterexample?.violation.kind).toBe('refcount-leak');
    expect(r?.counterexample?.violation.message).toMatch(/group0\.file not freed \(file count 1\): group0 stays attached to container0/);
    expect(await replays('broken-group-unuse-no-fput')).toBe('reproduced');
  });
});

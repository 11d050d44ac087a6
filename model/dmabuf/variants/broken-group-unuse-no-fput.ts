/**
 * broken-group-unuse-no-fput: the device's last close drops its use of the group's container
 * without the fput(group->opened_file) that pairs with vfio_group_use_container()'s get_file(),
 * so the group file is never released: the group stays attached to its container, the container is
 * never freed, and the group cannot be opened again (-EBUSY). Constructed for the model:
 * vfio_group_unuse_container() (drivers/vfio/container.c) has put the file since the device fd
 * began to hold the group file (the close order "Device FDs hold a group file reference" relies on).
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { upstream71 } from '../upstream/index.ts';

/** vfio_group_unuse_container() that forgets the group file's reference. */
export function* group_unuse_container_no_fput(k: K, group: Ref<'dmabuf.vfio_group'>) {
  const { ctx } = k;
  ctx.set(group, 'container_users', ctx.get(group, 'container_users') - 1);
  // upstream: fput(group->opened_file);
}

export default defineVariant(upstream71, {
  name: 'broken-group-unuse-no-fput',
  summary: "the device's last close leaves the group file's reference: the group never detaches from its container",
  source: 'constructed: vfio_group_unuse_container() (drivers/vfio/container.c) without its fput(group->opened_file)',
  differences: ['vfio_group_unuse_container: no fput(group->opened_file) for the get_file() of vfio_group_use_container()'],
  replace: { vfio_group_unuse_container: group_unuse_container_no_fput },
  bounds: { vfio_group: 1, sync: 0 },
  focus: ['close_fd'],
});

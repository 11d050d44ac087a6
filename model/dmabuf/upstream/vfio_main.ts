/** drivers/vfio/vfio_main.c (gregkh/linux 05e1afc54608; kernel-upstream.md §6): device registration. */

import type { Ref } from '../../../checker/kind.ts';
import type { K } from '../functions.ts';
import { registration, registrationDone } from '../objects.ts';

/** vfio_device_try_get_registration(): refcount_inc_not_zero(&device->refcount). */
export function* vfio_device_try_get_registration(k: K, vdev: Ref<'vdev'>) {
  return yield* k.refcount_inc_not_zero(registration(vdev));
}

/** vfio_device_put_registration(): the last put completes device->comp. */
export function* vfio_device_put_registration(k: K, vdev: Ref<'vdev'>) {
  if (yield* k.refcount_dec_and_test(registration(vdev))) yield* k.complete(registrationDone(vdev));
}

/**
 * vfio_unregister_group_dev(): drop the registration taken at register time and
 * wait for every other holder (open files, linked dma-bufs). The kernel loops
 * on a 10 s timeout nagging user space through ops->request(); that changes
 * nothing the model can see, so this is one unbounded wait.
 */
export function* vfio_unregister_group_dev(k: K, vdev: Ref<'vdev'>) {
  k.ctx.send(vdev, { type: 'UNREGISTER' });
  yield* k.vfio_device_put_registration(vdev);
  yield* k.wait_for_completion(registrationDone(vdev));
  k.ctx.send(vdev, { type: 'UNREGISTERED' });
  return 0;
}

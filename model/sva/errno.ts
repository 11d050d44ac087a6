/** errno values of the SVA model: the shared ones (model/errno.ts) and those only the SVA paths return. */
export { EACCES, EBADF, EBUSY, EFAULT, EINVAL, ENODEV, ENOMEM, ENOTTY, ESRCH, errname } from '../errno.ts';
/** include/uapi/asm-generic/errno-base.h */
export const EEXIST = -17;
export const ENOSPC = -28;

/** Linux errno values the model returns, negated as the kernel does (include/uapi/asm-generic/errno-base.h). */
export const EPERM = -1;
export const ESRCH = -3;
export const EIO = -5;
export const EBADF = -9;
export const ENOMEM = -12;
export const EACCES = -13;
export const EFAULT = -14;
export const EBUSY = -16;
export const ENODEV = -19;
export const EINVAL = -22;
export const EMFILE = -24;
export const ENOTTY = -25;
export const ERANGE = -34;
export const EBADFD = -77;
export const EOPNOTSUPP = -95;
export const VM_FAULT_SIGBUS = 'VM_FAULT_SIGBUS';
export const VM_FAULT_NOPAGE = 'VM_FAULT_NOPAGE';

const NAMES: Record<number, string> = {
  [EPERM]: '-EPERM',
  [ESRCH]: '-ESRCH',
  [EIO]: '-EIO',
  [EBADF]: '-EBADF',
  [ENOMEM]: '-ENOMEM',
  [EACCES]: '-EACCES',
  [EFAULT]: '-EFAULT',
  [EBUSY]: '-EBUSY',
  [ENODEV]: '-ENODEV',
  [EINVAL]: '-EINVAL',
  [EMFILE]: '-EMFILE',
  [ENOTTY]: '-ENOTTY',
  [ERANGE]: '-ERANGE',
  [EBADFD]: '-EBADFD',
  [EOPNOTSUPP]: '-EOPNOTSUPP',
};

/** "-ENODEV" for -19, the number itself otherwise (fds, 0). */
export function errname(v: unknown): string {
  return typeof v === 'number' && NAMES[v] ? (NAMES[v] as string) : String(v);
}

import { describe } from 'vitest';
import { checkRowsRegenerate } from './rows.ts';

describe('matrix rows: the code before each fix, and the deliberately broken designs', () => {
  checkRowsRegenerate([
    'before-kref-underflow',
    'before-attach-kref-reinit',
    'before-completion-timeout',
    'before-pinned-importer',
    'before-double-free',
    'before-close-order',
    'before-hot-reset-open-count',
    'broken-cleanup-orphan-first',
    'broken-flr-rerevoke',
    'broken-cleanup-no-file-check',
  ]);
});

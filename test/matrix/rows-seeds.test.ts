import { describe } from 'vitest';
import { checkRowsRegenerate } from './rows.ts';

describe('matrix rows: merged kernels and seeds', () => {
  checkRowsRegenerate(['upstream-7.1', 'merged-6.19', 'jgg-2022-v2', 'kasireddy-2024-v1', 'evans-2026-rfc-v2']);
});

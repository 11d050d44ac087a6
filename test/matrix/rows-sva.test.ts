import { describe } from 'vitest';
import { svaDesigns } from '../../model/sva/index.ts';
import { checkRowsRegenerate } from './rows.ts';

describe('matrix rows: SVA designs', () => {
  checkRowsRegenerate(svaDesigns.map((d) => d.name));
});

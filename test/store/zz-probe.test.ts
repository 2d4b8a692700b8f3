import { it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
it('probe', () => {
  for (const p of [process.env.PROBE!]) {
    try { openStore({ path: p }); console.log('opened?!', p); } catch (e) { console.log(p, (e as Error).name, (e as Error).message, (e as any).hint); }
  }
});

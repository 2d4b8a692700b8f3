import { it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
it('probe', () => {
  for (const p of ['/tmp/sqt/adir', '/proc/nope/x.db']) {
    try { openStore({ path: p }); console.log('opened?!', p); } catch (e) { console.log(p, (e as Error).name, (e as Error).message, (e as any).hint); }
  }
});

/** `gotriage report ID`: render the postmortem again from what the database holds. */
import { resolve, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { stdoutWriter } from '../../core/terminal-writer.js';
import { renderPostmortem } from '../../report/render.js';
import { openStoreOnly } from '../open-store.js';
import { str, type Options } from '../options.js';

export async function reportCommand(opts: Options): Promise<number> {
  const id = str(opts, 'id')!;
  const store = openStoreOnly(opts);
  try {
    if (!(await store.getIncident(id))) throw new UsageError(`no incident '${id}' in ${store.dbPath}`, 'list them with: gotriage list');
    const dir = resolve(str(opts, 'out') ?? 'postmortems');
    mkdirSync(dir, { recursive: true });
    const path = await renderPostmortem(store, id, { outPath: join(dir, `${id}.md`) });
    stdoutWriter().line(path);
    return 0;
  } finally {
    await store.close();
  }
}

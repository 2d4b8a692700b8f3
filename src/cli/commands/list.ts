/** `gotriage list`: incidents, newest first, with how their collections went. Loads only the store. */
import { stderrWriter, stdoutWriter } from '../../core/terminal-writer.js';
import type { CollectionStatus, Store } from '../../store/store.js';
import { openStoreOnly } from '../open-store.js';
import { flag, type Options } from '../options.js';

const STATUSES: readonly CollectionStatus[] = ['ok', 'failed', 'skipped', 'not-served'];

/** How many collection records of the incident ended in each status. */
async function collectionCounts(store: Store, incidentId: string): Promise<Record<CollectionStatus, number>> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<CollectionStatus, number>;
  for (const c of await store.collections(incidentId)) counts[c.status]++;
  return counts;
}

/** `collected 9 ok · 1 failed · 1 not-served`; empty before anything was collected. */
function describeCounts(counts: Record<CollectionStatus, number>): string {
  const parts = STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? `  [collected ${parts.join(' · ')}]` : '';
}

export async function listCommand(opts: Options): Promise<number> {
  const store = openStoreOnly(opts);
  try {
    const incidents = await store.listIncidents();
    const listed = await Promise.all(incidents.map(async (i) => ({ incident: i, collections: await collectionCounts(store, i.id) })));
    if (flag(opts, 'json')) {
      stdoutWriter().json(listed.map(({ incident: { alert: _alert, ...rest }, collections }) => ({ ...rest, collections })));
      return 0;
    }
    if (incidents.length === 0) {
      stderrWriter().line(`no incidents yet in ${store.dbPath}; start one with: gotriage start --target URL`);
      return 0;
    }
    for (const { incident: i, collections } of listed) {
      // The reader may stop early (`| head -1`): the rest is not worth formatting.
      if (stdoutWriter().closed) break;
      stdoutWriter().line(
        `${i.id}  ${i.createdAt.slice(0, 19).replace('T', ' ')}  ${i.status.padEnd(6)}  ${i.state.padEnd(11)}  ${i.severity.padEnd(8)}  ${i.service}: ${i.title}${describeCounts(collections)}`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

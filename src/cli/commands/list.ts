/** `gotriage list`: incidents, newest first. Loads only the store. */
import { stderrWriter, stdoutWriter } from '../../core/terminal-writer.js';
import { openStoreOnly } from '../open-store.js';
import { flag, type Options } from '../options.js';

export async function listCommand(opts: Options): Promise<number> {
  const store = openStoreOnly(opts);
  try {
    const incidents = await store.listIncidents();
    if (flag(opts, 'json')) {
      stdoutWriter().json(incidents.map(({ alert: _alert, ...rest }) => rest));
      return 0;
    }
    if (incidents.length === 0) {
      stderrWriter().line(`no incidents yet in ${store.dbPath}; start one with: gotriage start --target URL`);
      return 0;
    }
    for (const i of incidents) {
      // The reader may stop early (`| head -1`): the rest is not worth formatting.
      if (stdoutWriter().closed) break;
      stdoutWriter().line(
        `${i.id}  ${i.createdAt.slice(0, 19).replace('T', ' ')}  ${i.status.padEnd(6)}  ${i.state.padEnd(11)}  ${i.severity.padEnd(8)}  ${i.service}: ${i.title}`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** `gotriage list`: incidents, newest first. Loads only the store. */
import { openStoreOnly } from '../open-store.js';
import { flag, type Options } from '../options.js';

export async function listCommand(opts: Options): Promise<number> {
  const store = openStoreOnly(opts);
  try {
    const incidents = await store.listIncidents();
    if (flag(opts, 'json')) {
      process.stdout.write(
        JSON.stringify(
          incidents.map(({ alert: _alert, ...rest }) => rest),
          null,
          2,
        ) + '\n',
      );
      return 0;
    }
    if (incidents.length === 0) {
      process.stderr.write(`no incidents yet in ${store.dbPath}; start one with: gotriage start --target URL\n`);
      return 0;
    }
    for (const i of incidents) {
      process.stdout.write(
        `${i.id}  ${i.createdAt.slice(0, 19).replace('T', ' ')}  ${i.status.padEnd(6)}  ${i.state.padEnd(11)}  ${i.severity.padEnd(8)}  ${i.service}: ${i.title}\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

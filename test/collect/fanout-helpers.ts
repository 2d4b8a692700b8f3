/**
 * Shared setup for the fan-out tests: a real store and StepEnv, small Node HTTP servers
 * for what a real Go service cannot do on demand (stall after its headers, count
 * in-flight requests, require a bearer token), and a closed port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fanout, type FanoutOptions } from '../../src/collect/fanout.ts';
import type { StepEnv } from '../../src/engine/types.ts';
import { type createMemoryLogger } from '../../src/core/log.ts';
import { pprofActionSchema, type PprofAction } from '../../src/playbook/schema.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { makeStepEnv } from '../helpers/step-env.ts';

export interface TestStore {
  dir: string;
  store: Store;
  cleanup(): Promise<void>;
}

export function openTempStore(prefix = 'gotriage-fanout-'): TestStore {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = openStore({ path: join(dir, 'gotriage.db') });
  return {
    dir,
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestEnv = StepEnv & { log: ReturnType<typeof createMemoryLogger>; fanout: Fanout; stepRunId: number };

/** A StepEnv for the gather step of a fresh incident, with its own Fanout. */
export async function makeGatherEnv(
  { store, dir }: TestStore,
  targets: string[],
  fanoutOptions: FanoutOptions = {},
  params: Record<string, string> = {},
): Promise<TestEnv> {
  const fanout = new Fanout(fanoutOptions);
  const env = await makeStepEnv(store, dir, { params, targets, fanout, runner: undefined as never, title: 'fan-out test' });
  return { ...env, fanout, stepRunId: (await store.startStep(env.incident.id, 'gather')).id };
}

export function pprofAction(fields: Record<string, unknown>): PprofAction {
  return pprofActionSchema.parse({ kind: 'pprof', ...fields });
}

export interface NodeServer {
  url: string;
  close(): Promise<void>;
}

/** A loopback HTTP server; close() also ends connections left hanging. */
export async function startNodeServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<NodeServer> {
  const server: Server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends 200 and its headers, then nothing, ever: a process stuck after accepting. */
export function startStalledServer(): Promise<NodeServer> {
  return startNodeServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.flushHeaders();
  });
}

/** A loopback URL nothing listens on (bound, then closed). */
export async function closedPortUrl(): Promise<string> {
  const server = await startNodeServer(() => {});
  await server.close();
  return server.url;
}

/** A stream that keeps what is written, for progress output. */
export function captureStream(isTTY = false): { write(text: string): boolean; isTTY: boolean; text(): string } {
  let out = '';
  return {
    isTTY,
    write(text: string) {
      out += text;
      return true;
    },
    text: () => out,
  };
}

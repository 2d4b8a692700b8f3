/**
 * A real Prometheus (Debian package `prometheus`, /usr/bin/prometheus) for the demo and
 * the integration tests: its own config and TSDB in a temp dir, listening on a free loopback port,
 * scraping only loopback targets. No systemd: started directly, in its own process group,
 * and killed (group and all) by stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrometheusOptions {
  /** `host:port` of each target; only 127.0.0.1 / [::1] / localhost are accepted. */
  scrapeTargets: string[];
  /** Scrape interval, e.g. `1s`. */
  scrapeInterval?: string;
  /** Job label of the targets. Default `demo`. */
  job?: string;
}

export interface RunningPrometheus {
  /** `http://127.0.0.1:PORT` */
  url: string;
  stop(): Promise<void>;
}

const LOOPBACK = /^(127\.0\.0\.1|\[::1\]|localhost):\d+$/;

/** Starts Prometheus and waits for `/-/ready`. Retries on another port if the chosen one was taken meanwhile. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  for (const target of options.scrapeTargets) {
    if (!LOOPBACK.test(target)) throw new Error(`this Prometheus only scrapes loopback targets, got ${target}`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(options: PrometheusOptions, port: number): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'gotriage-prometheus-'));
  const interval = options.scrapeInterval ?? '1s';
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    // Prometheus refuses a scrape_timeout longer than the interval; the 10s default is.
    `  scrape_timeout: ${interval}`,
    'scrape_configs:',
    `  - job_name: ${JSON.stringify(options.job ?? 'demo')}`,
    '    static_configs:',
    `      - targets: [${options.scrapeTargets.map((t) => JSON.stringify(t)).join(', ')}]`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    await killGroup(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, exited, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** Polls `/-/ready` (200 once the TSDB is open and the web handler serves) for up to 30 s. */
async function waitReady(url: string, exited: Promise<number | null>, stderr: () => string): Promise<void> {
  let dead: number | null | undefined;
  void exited.then((code) => (dead = code));
  for (let i = 0; i < 300; i++) {
    if (dead !== undefined) throw new Error(`prometheus exited (${dead}) before it was ready: ${stderr()}`);
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus at ${url} was not ready within 30 s: ${stderr()}`);
}

/** SIGTERM to the process group, SIGKILL after 5 s. */
async function killGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A port that was free a moment ago (bind :0 on loopback, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Waits until `expr` (an instant query) returns a series with at least `minPoints` samples over `range`. */
export async function waitForSamples(url: string, metric: string, minPoints: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const query = encodeURIComponent(`count_over_time(${metric}[10m])`);
    try {
      const body = (await (await fetch(`${url}/api/v1/query?query=${query}`, { signal: AbortSignal.timeout(2000) })).json()) as {
        data?: { result?: { value: [number, string] }[] };
      };
      const count = Number(body.data?.result?.[0]?.value[1] ?? 0);
      if (count >= minPoints) return;
    } catch {
      // Prometheus busy: try again
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${metric} did not reach ${minPoints} samples in Prometheus at ${url} within ${timeoutMs} ms`);
}

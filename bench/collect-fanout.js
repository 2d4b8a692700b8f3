// collect.all-profiles.20-instances: `gotriage collect` of every profile kind from 20
// demo-service instances under light load, CPU and trace windows of 5 s.
//   value    wall seconds of the whole CLI process, all requests concurrent (the default)
//   baseline wall seconds of the same capture with --concurrency 1: one target and one
//            profile at a time, i.e. what curl in a loop would take
//   ratio    value / window. Goal ≤ 1.3: the capture takes about as long as its longest
//            timed window, not the sum of them.
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildService, startService } from '../dist/demo/service.js';
import { collectArgv } from './gotriage-cli.js';

const here = dirname(fileURLToPath(import.meta.url));
const DEMO_DIR = join(here, '..', 'examples', 'demo-service');

/**
 * Light load: per instance one request every 100 ms (CPU profiles need something to
 * sample, but the 2-core machine must not be saturated by the load itself). Loopback
 * only (the instances were started on 127.0.0.1 by startService); stops by itself
 * after maxMs.
 */
function startPacedLoad(urls, { everyMs = 100, maxMs = 15 * 60_000 } = {}) {
  const stopper = new AbortController();
  // Every loop listens on the one stopper signal; Node warns past 10 listeners otherwise.
  setMaxListeners(4 * urls.length + 10, stopper.signal);
  const deadline = setTimeout(() => stopper.abort(), maxMs);
  const paths = ['/checksum?n=1000', '/hit'];
  const loops = urls.map(async (url, i) => {
    for (let turn = i; !stopper.signal.aborted; turn++) {
      try {
        const res = await fetch(`${url}${paths[turn % paths.length]}`, {
          signal: AbortSignal.any([stopper.signal, AbortSignal.timeout(2000)]),
          redirect: 'manual',
        });
        await res.arrayBuffer();
      } catch {
        // a missed request is fine: this is background load, not a measurement
      }
      await sleep(everyMs, undefined, { signal: stopper.signal }).catch(() => {});
    }
  });
  return async () => {
    stopper.abort();
    clearTimeout(deadline);
    await Promise.all(loops);
  };
}

/**
 * Runs the CLI as a child process (asynchronously, so the load keeps running in this
 * process meanwhile) and returns its wall time and parsed --json output.
 */
function timedCollect(args) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, collectArgv(args), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      let report;
      try {
        report = JSON.parse(stdout);
      } catch {
        return reject(new Error(`gotriage collect exited ${code} without JSON:\n${stderr.slice(-2000)}`));
      }
      const failed = report.results.filter((r) => r.status === 'failed');
      if (code !== 0 || failed.length > 0) {
        return reject(
          new Error(
            `gotriage collect exited ${code}; ${failed.length} failed:\n${failed
              .slice(0, 5)
              .map((r) => `${r.target} ${r.name}: ${r.reason}`)
              .join('\n')}`,
          ),
        );
      }
      resolve({ seconds, report });
    });
  });
}

export async function benchCollectFanout({ instances = 20, seconds = 5 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gotriage-bench-fanout-'));
  const services = [];
  let stopLoad;
  try {
    const binary = await buildService(DEMO_DIR, { outputPath: join(dir, 'demo-service') });
    const started = await Promise.allSettled(Array.from({ length: instances }, () => startService(binary)));
    for (const s of started) if (s.status === 'fulfilled') services.push(s.value);
    const failedStart = started.find((s) => s.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    stopLoad = startPacedLoad(services.map((s) => s.url));
    await sleep(1000); // let every instance see some traffic before the windows open

    const common = [
      ...services.flatMap((s) => ['--target', s.url]),
      '--pprof-base',
      '/user/debug/pprof',
      '--seconds',
      String(seconds),
      '--json',
    ];
    const concurrent = await timedCollect([...common, '--out', join(dir, 'concurrent')]);
    const sequential = await timedCollect([...common, '--concurrency', '1', '--out', join(dir, 'sequential')]);
    const files = concurrent.report.results.filter((r) => r.status === 'ok').length;
    console.error(
      `collect.all-profiles: ${files} files from ${instances} instances; concurrent ${concurrent.seconds.toFixed(2)} s, sequential ${sequential.seconds.toFixed(2)} s`,
    );
    return {
      name: 'collect.all-profiles.20-instances',
      value: Number(concurrent.seconds.toFixed(2)),
      unit: 's',
      baseline: Number(sequential.seconds.toFixed(2)),
      ratio: Number((concurrent.seconds / seconds).toFixed(2)),
    };
  } finally {
    await stopLoad?.();
    await Promise.allSettled(services.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

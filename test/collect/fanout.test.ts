/**
 * The fan-out against real servers: the Go pprof-server fixture for healthy and busy
 * instances, Node servers for what Go cannot do on demand (stall after the headers, count
 * requests in flight, answer with a login page), and a closed port.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fanout } from '../../src/collect/fanout.ts';
import { RequestLimiter } from '../../src/collect/fanout-limiter.ts';
import { fetchPprof } from '../../src/collect/pprof-http.ts';
import { createProgress } from '../../src/collect/progress.ts';
import { runPprofAction } from '../../src/engine/actions/pprof-action.ts';
import type { Finding } from '../../src/core/model.ts';
import { buildPprofServer, startPprofServer, type RunningServer } from './go-pprof-server.ts';
import {
  captureStream,
  closedPortUrl,
  makeGatherEnv,
  openTempStore,
  pprofAction,
  startNodeServer,
  startStalledServer,
  type NodeServer,
  type TestStore,
} from './fanout-helpers.ts';

const CAPTURED = resolve(import.meta.dirname, '../fixtures/pprof-http/go1.26');
let binary: string;
let testStore: TestStore;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  binary = await buildPprofServer();
  testStore = openTempStore();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(() => testStore.cleanup());

async function goServer(args: string[] = []): Promise<RunningServer> {
  const server = await startPprofServer(binary, args);
  closers.push(() => server.stop());
  return server;
}
async function nodeServer(server: Promise<NodeServer>): Promise<NodeServer> {
  const started = await server;
  closers.push(() => started.close());
  return started;
}

const failureFor = (findings: Finding[] | undefined, host: string, endpoint: string) =>
  (findings ?? []).filter((f) => f.kind === 'collection-failure' && f.title.includes(host) && f.title.includes(endpoint));

describe('bounded concurrency', () => {
  it('never has more than `concurrency` requests open at once across targets and actions', async () => {
    // Real Go profiles (captured from pprof-server), served slowly enough to overlap.
    const bodies: Record<string, Buffer> = {
      heap: readFileSync(join(CAPTURED, 'heap.pb.gz')),
      goroutine: readFileSync(join(CAPTURED, 'goroutine.pb.gz')),
    };
    let inFlight = 0;
    let maxInFlight = 0;
    let served = 0;
    const server = await nodeServer(
      startNodeServer((req, res) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const name = req.url!.split('/').pop()!.split('?')[0]!;
        setTimeout(() => {
          inFlight--;
          served++;
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(bodies[name === 'allocs' ? 'heap' : name]);
        }, 120);
      }),
    );
    // Six "instances" behind one server: each target has its own path prefix.
    const targets = Array.from({ length: 6 }, (_, i) => `${server.url}/instance-${i}`);
    const stream = captureStream(false);
    const env = await makeGatherEnv(testStore, targets, { concurrency: 3, progress: createProgress({ stream }) });
    const actions = ['heap', 'allocs', 'goroutine'].map((profile) => pprofAction({ id: profile, profile, timeout: '10s' }));

    const outcomes = await Promise.all(actions.map((a) => runPprofAction(env, env.stepRunId, a, 'gather1')));

    expect(served).toBe(18);
    expect(maxInFlight).toBe(3);
    expect(outcomes.flatMap((o) => o.artifacts)).toHaveLength(18);
    expect(outcomes.reduce((n, o) => n + o.failures, 0)).toBe(0);
    // Not a TTY: one plain line per start and per finish, nothing redrawn.
    const lines = stream.text().trimEnd().split('\n');
    expect(stream.text()).not.toMatch(/[\r\u001b]/);
    expect(lines.filter((l) => l.startsWith('started '))).toHaveLength(18);
    expect(lines.filter((l) => l.startsWith('done '))).toHaveLength(18);
    expect(lines.find((l) => l.startsWith('done heap 127.0.0.1:'))).toMatch(
      /^done heap 127\.0\.0\.1:\d+\/instance-\d: [\d.]+ KiB in \d+ ms$/,
    );
  });
});

describe('who gets a free slot', () => {
  it('serves timed captures first, then the target with the fewest requests open', async () => {
    const limiter = new RequestLimiter(3);
    const order: string[] = [];
    const take = (target: string, timed: boolean, name: string) =>
      limiter.acquire(target, timed).then((slot) => {
        order.push(name);
        return slot;
      });
    await take('stalled', false, 'stalled-1'); // never released: a hung request
    await take('a', false, 'a-1'); // held throughout
    const other = await take('x', false, 'x-1');
    const queued = [take('stalled', false, 'stalled-2'), take('a', false, 'a-2'), take('b', false, 'b-1'), take('c', true, 'c-cpu')];
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['stalled-1', 'a-1', 'x-1']); // all slots taken: the rest wait
    other.release(); // the timed capture goes first, whatever its place in the queue
    (await queued[3]!).release(); // then b, with nothing open, before stalled and a (one open each)
    (await queued[2]!).release(); // then the earlier of two equals
    await queued[0];
    expect(order.slice(3)).toEqual(['c-cpu', 'b-1', 'stalled-2']);
    expect(limiter.active).toBe(3);
  });
});

describe('dead, stalled and wrong targets', () => {
  it('fails each with its own reason, keeps what arrived, and stores every healthy artifact', async () => {
    const healthy = [await goServer(), await goServer()];
    const dead = await closedPortUrl();
    const stalled = await nodeServer(startStalledServer());
    const login = await nodeServer(
      startNodeServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body><form action="/login">Sign in</form></body></html>');
      }),
    );
    const targets = [...healthy.map((s) => s.url), dead, stalled.url, login.url];
    // Two slots for five targets: the stalled one must not take both and starve the rest.
    const stream = captureStream(false);
    const env = await makeGatherEnv(testStore, targets, { concurrency: 2, progress: createProgress({ stream }) });
    const actions = [
      pprofAction({ id: 'heap', profile: 'heap', timeout: '1500ms' }),
      pprofAction({ id: 'goroutines', profile: 'goroutine', debug: '1', timeout: '1500ms' }),
    ];
    const outcomes = await Promise.all(actions.map((a) => runPprofAction(env, env.stepRunId, a, 'gather1')));
    const artifacts = outcomes.flatMap((o) => o.artifacts);
    const findings = outcomes.flatMap((o) => o.findings ?? []);

    for (const server of healthy) {
      const kept = artifacts.filter((a) => a.label.includes(server.url.replace('http://', '')) && !a.label.includes('failed'));
      expect(kept.map((a) => a.actionId).sort()).toEqual(['goroutines', 'heap']);
    }
    const host = (url: string) => url.replace('http://', '');
    for (const endpoint of ['/debug/pprof/heap', '/debug/pprof/goroutine?debug=1']) {
      expect(failureFor(findings, host(dead), endpoint)[0]?.title).toMatch(/connection refused/);
      expect(failureFor(findings, host(stalled.url), endpoint)[0]?.title).toMatch(/stalled after sending headers|skipped: stalled/);
      const html = failureFor(findings, host(login.url), endpoint)[0];
      expect(html?.title).toMatch(/HTML page instead of a profile/);
      expect(html?.metrics).toEqual({ failed: 1, attempted: 1 });
      // The login page itself is kept as evidence.
      const page = artifacts.find((a) => a.id === html?.artifactIds[0]);
      expect(readFileSync(page!.path, 'utf8')).toContain('Sign in');
    }
    // The stalled target cost one timeout, not one per request in turn: every request of it
    // that waited out the timeout was already open when the first one gave up; the rest
    // were skipped by the breaker.
    const stalledLines = stream
      .text()
      .split('\n')
      .filter((l) => l.includes(` ${host(stalled.url)}`));
    const isTimeout = (l: string) => /^failed .*: stalled after sending headers/.test(l);
    const firstTimeout = stalledLines.findIndex(isTimeout);
    expect(firstTimeout).toBeGreaterThan(0);
    const openBefore = stalledLines.slice(0, firstTimeout).filter((l) => l.startsWith('started ')).length;
    expect(stalledLines.filter(isTimeout)).toHaveLength(openBefore);
    expect(outcomes.reduce((n, o) => n + o.failures, 0)).toBe(6);
    const events = outcomes.flatMap((o) => o.events).filter((e) => e.kind === 'action-failed');
    expect(events).toHaveLength(6);
  });

  it('ends a target at its deadline even when each request allows more', async () => {
    const stalled = await nodeServer(startStalledServer());
    const fanout = new Fanout({ targetDeadlineMs: 1200 });
    const env = await makeGatherEnv(testStore, [stalled.url]);
    const result = await fanout.fetch({
      round: 'r1',
      target: stalled.url,
      what: 'goroutine debug=2',
      signal: env.signal,
      request: { profile: 'goroutine', debug: '2', timeoutMs: 30_000, outputPath: join(env.scratchDir, 'stalled') },
    });
    expect(result.ok).toBe(false);
    // Cut at the target's deadline, not at the request's own 30 s.
    expect(!result.ok && result.reason).toMatch(/^stalled after sending headers \(timed out\); target deadline of 1 s reached$/);
    expect(!result.ok && result.error.message).toMatch(/^timed out after 1[0-2]\d\d ms /);
    // A later request of the same round is refused at once: the target is known to be stuck.
    const again = await fanout.fetch({
      round: 'r1',
      target: stalled.url,
      what: 'heap',
      signal: env.signal,
      request: { profile: 'heap', timeoutMs: 30_000, outputPath: join(env.scratchDir, 'stalled-2') },
    });
    expect(!again.ok && again.reason).toMatch(/^skipped: stalled after sending headers/);
  });
});

describe('a busy CPU profiler', () => {
  /**
   * Our 1 s CPU profile, asked for 300 ms into another client's `otherSeconds` one, which
   * holds the process's only CPU profiler; ours is retried after `retryBackoffMs`.
   */
  async function cpuProfileWhileAnotherRuns(otherSeconds: number, retryBackoffMs: number, serverArgs: string[] = []) {
    const server = await goServer(serverArgs);
    const env = await makeGatherEnv(testStore, [server.url]);
    const other = fetchPprof({
      targetUrl: server.url,
      profile: 'profile',
      seconds: otherSeconds,
      timeoutMs: 10_000,
      outputPath: join(env.scratchDir, 'other'),
    });
    await new Promise((r) => setTimeout(r, 300));
    const ours = await new Fanout({ retryBackoffMs }).fetch({
      round: 'r1',
      target: server.url,
      what: 'cpu 1s',
      signal: env.signal,
      request: { profile: 'profile', seconds: 1, timeoutMs: 10_000, outputPath: join(env.scratchDir, 'ours') },
    });
    await other;
    return ours;
  }

  it('is retried once after the backoff, and succeeds when the other profile has ended', async () => {
    const ours = await cpuProfileWhileAnotherRuns(2, 2500, ['-base', '/debug/pprof']);
    expect(ours.ok).toBe(true);
    expect(ours.retried).toBe(true);
  });

  it('says why when the retry finds it still busy', async () => {
    const ours = await cpuProfileWhileAnotherRuns(3, 200);
    expect(ours.ok).toBe(false);
    expect(ours.retried).toBe(true);
    expect(!ours.ok && ours.reason).toBe('another CPU profile was running (HTTP 500)');
  });
});

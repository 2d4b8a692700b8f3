/**
 * `gotriage collect`'s capture runs on the session's fan-out (src/collect/fanout.ts), and
 * gets what a session gets: timed captures first so windows overlap, a breaker for a dead
 * target, a deadline for a stalled one that does not count time spent queued behind other
 * targets, and the one retry of a busy CPU profiler. Against the real Go pprof-server
 * (test/fixtures/go/pprof-server), a closed port and a server that stalls after its headers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureProfiles } from '../../src/collect/capture.ts';
import { fetchPprof } from '../../src/collect/pprof-http.ts';
import { createProgress } from '../../src/collect/progress.ts';
import { buildPprofServer, startPprofServer, type RunningServer } from './go-pprof-server.ts';
import { captureStream, closedPortUrl, startStalledServer, type NodeServer } from './fanout-helpers.ts';

let dir: string;
const servers: RunningServer[] = [];
let stalled: NodeServer;
let deadUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-capture-fanout-'));
  const binary = await buildPprofServer();
  for (let i = 0; i < 3; i++) servers.push(await startPprofServer(binary));
  stalled = await startStalledServer();
  deadUrl = await closedPortUrl();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await stalled?.close();
  rmSync(dir, { recursive: true, force: true });
});

const host = (url: string) => url.replace('http://', '');
const outDir = (name: string) => join(dir, name);

describe('gotriage collect on the shared fan-out', () => {
  it('gives the timed captures of every target the first slots, so their windows overlap', async () => {
    const stream = captureStream(false);
    const targets = servers.slice(0, 2).map((s) => s.url);
    const results = await captureProfiles({
      targets,
      profiles: ['heap', 'cpu', 'goroutine', 'trace'],
      seconds: 1,
      outDir: outDir('timed-first'),
      concurrency: 4,
      progress: createProgress({ stream }),
    });
    expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
    const lines = stream.text().split('\n');
    const starts = lines.filter((l) => l.startsWith('started '));
    // Four slots, four timed captures (cpu and trace of two targets): all of them first …
    expect(
      starts
        .slice(0, 4)
        .map((l) => l.split(' ')[1])
        .sort(),
    ).toEqual(['cpu', 'cpu', 'trace', 'trace']);
    expect(
      starts
        .slice(4)
        .map((l) => l.split(' ')[1])
        .sort(),
    ).toEqual(['goroutine', 'goroutine', 'goroutine', 'goroutine', 'heap', 'heap']);
    // … and every window was open before the first one closed.
    const lastTimedStart = lines.findLastIndex((l) => /^started (cpu|trace) /.test(l));
    const firstTimedDone = lines.findIndex((l) => /^done (cpu|trace) /.test(l));
    expect(lastTimedStart).toBeLessThan(firstTimedDone);
  });

  it('skips the rest of a dead target after its first refusal, naming why', async () => {
    const results = await captureProfiles({
      targets: [deadUrl],
      profiles: ['heap', 'allocs', 'mutex', 'block'],
      seconds: 1,
      outDir: outDir('dead'),
      concurrency: 1,
    });
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(results[0]!.reason).toBe(`connection refused by ${deadUrl}/debug/pprof/heap`);
    for (const r of results.slice(1))
      expect(r.reason).toMatch(/^skipped (allocs|mutex|block): the target failed earlier \(connection refused\)$/);
  });

  it('ends a stalled target at its deadline, not at each request timeout, and keeps the live target whole', async () => {
    const live = servers[0]!.url;
    const results = await captureProfiles({
      targets: [stalled.url, live],
      profiles: ['heap', 'goroutine', 'mutex'],
      seconds: 1,
      outDir: outDir('stalled'),
      timeoutMs: 60_000,
      targetDeadlineMs: 1500,
    });
    const mine = (target: string) => results.filter((r) => r.target === target);
    expect(mine(live).map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const stuck = mine(stalled.url);
    expect(stuck.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    for (const r of stuck) {
      // The request was cut to what was left of the 1.5 s target deadline, not its own 60 s.
      const ms = Number(/^timed out after (\d+) ms fetching .* \(after 0 bytes of the body\)/.exec(r.reason ?? '')?.[1]);
      expect(ms, r.reason).toBeGreaterThan(0);
      expect(ms, r.reason).toBeLessThanOrEqual(1500);
    }
  });

  it('does not fail a target for the time it waited while other targets held every slot', async () => {
    // One slot, three targets, two 1 s windows each: the third target is first served
    // about 4 s in, after the others' windows. Its deadline of 4 s counts from then.
    const targets = [servers[0]!.url, servers[1]!.url, servers[2]!.url];
    const stream = captureStream(false);
    const results = await captureProfiles({
      targets,
      profiles: ['cpu', 'trace'],
      seconds: 1,
      outDir: outDir('queued'),
      concurrency: 1,
      targetDeadlineMs: 4000,
      progress: createProgress({ stream }),
    });
    expect(results.map((r) => [host(r.target), r.name, r.status, r.reason])).toEqual(
      targets.flatMap((t) => [
        [host(t), 'cpu.pb.gz', 'ok', undefined],
        [host(t), 'trace.out', 'ok', undefined],
      ]),
    );
    // One at a time indeed: each capture ended before the next one started.
    const events = stream
      .text()
      .split('\n')
      .filter((l) => /^(started|done) /.test(l))
      .map((l) => l.split(' ')[0]);
    expect(events).toEqual(Array.from({ length: 6 }, () => ['started', 'done']).flat());
  });

  it('retries a CPU profile once when another one holds the profiler, and gets it', async () => {
    const server = servers[2]!;
    // Another client's 2 s CPU profile; ours comes 300 ms into it and is refused with a 500.
    const other = fetchPprof({
      targetUrl: server.url,
      profile: 'profile',
      seconds: 2,
      timeoutMs: 10_000,
      outputPath: join(dir, 'other.pb.gz'),
    });
    await new Promise((r) => setTimeout(r, 300));
    const results = await captureProfiles({
      targets: [server.url],
      profiles: ['cpu'],
      seconds: 1,
      outDir: outDir('busy'),
      retryBackoffMs: 2500,
    });
    // Both profiles arrived: ours waited for the other instead of cutting in.
    expect((await other).bytes).toBeGreaterThan(0);
    expect(results.map((r) => [r.name, r.status, r.reason])).toEqual([['cpu.pb.gz', 'ok', undefined]]);
  });
});

import { readFileSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterruptedError, ToolError, ToolMissingError } from '../../src/core/errors.ts';
import { createRunner } from '../../src/exec/create-runner.ts';
import { buildService, startService, type RunningService } from '../../src/demo/service.ts';
import { SERVICE_DIR, fetchBytes, fetchText, goroutineTotal, makeTempDir, sleep } from './demo-helpers.ts';

/** True while `pid` exists and is not a zombie (exited, waiting to be reaped). */
function isRunning(pid: number): boolean {
  try {
    // proc(5): "pid (comm) state …"
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('demo service (Go 1.26)', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let binary: string;
  let service: RunningService;

  beforeAll(async () => {
    tmp = await makeTempDir('service');
    binary = await buildService(SERVICE_DIR, { outputPath: path.join(tmp.dir, 'demo-service') });
    service = await startService(binary);
  });
  afterAll(async () => {
    await service?.stop();
    await tmp?.cleanup();
  });

  it('announces a loopback URL and answers /healthz', async () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { status, text } = await fetchText(`${service.url}/healthz`);
    expect(status).toBe(200);
    expect(text.trim()).toBe('ok');
  });

  it('serves binary (gzip) profiles under /user/debug/pprof/', async () => {
    const names = ['goroutine', 'heap', 'allocs', 'mutex', 'block', 'threadcreate', 'profile?seconds=1'];
    const answers = await Promise.all(names.map((n) => fetchBytes(`${service.url}/user/debug/pprof/${n}`)));
    answers.forEach(({ status, bytes }, i) => {
      expect({ profile: names[i], status, magic: bytes.subarray(0, 2).toString('hex') }).toEqual({
        profile: names[i],
        status: 200,
        magic: '1f8b',
      });
    });
  });

  it('serves the text goroutine dumps, the index, cmdline and an execution trace', async () => {
    const dump2 = await fetchText(`${service.url}/user/debug/pprof/goroutine?debug=2`);
    expect(dump2.status).toBe(200);
    expect(dump2.contentType).toMatch(/^text\/plain/);
    expect(dump2.text).toMatch(/^goroutine \d+ \[[^\]]+\]:\n/);
    expect(dump2.text).toContain('main.serve');

    expect(goroutineTotal((await fetchText(`${service.url}/user/debug/pprof/goroutine?debug=1`)).text)).toBeGreaterThan(1);

    const index = await fetchText(`${service.url}/user/debug/pprof/`);
    expect(index.status).toBe(200);
    expect(index.text).toContain("href='goroutine?debug=1'");

    expect((await fetchText(`${service.url}/user/debug/pprof/cmdline`)).text).toContain(binary);

    const trace = await fetchBytes(`${service.url}/user/debug/pprof/trace?seconds=0.2`);
    expect(trace.bytes.subarray(0, 16).toString('latin1')).toMatch(/^go 1\.\d+ trace/);

    // The pprof routes live only under the prefix, as behind a path router.
    expect((await fetchText(`${service.url}/debug/pprof/goroutine`)).status).toBe(404);
  });
});

describe('startService / stop', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let binary: string;
  beforeAll(async () => {
    tmp = await makeTempDir('service-life');
    binary = await buildService(SERVICE_DIR, { outputPath: path.join(tmp.dir, 'demo-service') });
  });
  afterAll(async () => tmp?.cleanup());

  it('stop() ends the service gracefully and the port stops answering', async () => {
    const service = await startService(binary);
    expect(isRunning(service.pid)).toBe(true);
    await service.stop();
    expect(isRunning(service.pid)).toBe(false);
    // SIGTERM reached the Go signal handler, which shut the server down cleanly.
    expect(service.stderrTail()).toContain('stopped');
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    await service.stop(); // idempotent
  });

  it('rejects with the service stderr when it exits before listening', async () => {
    const first = await startService(binary);
    try {
      const addr = first.url.replace('http://', '');
      const error = await startService(binary, { args: ['-addr', addr] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolError);
      expect((error as ToolError).message).toMatch(/exited with code 1 before listening/);
      expect((error as ToolError).message).toContain('address already in use');
    } finally {
      await first.stop();
    }
  });

  it('rejects a program that prints something else first', async () => {
    const error = await startService('/bin/echo', { args: ['hello'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toContain('printed "hello" instead of "listening on');
  });

  it('gives up after the start deadline and kills the whole process group', async () => {
    // A shell that forks a child and never prints: the deadline fires, and the child
    // (same process group) must be gone too, not just the shell.
    const pidFile = path.join(tmp.dir, 'child.pid');
    const error = await startService('/bin/sh', {
      args: ['-c', `sleep 60 & echo $! > ${pidFile}; wait`],
      startTimeoutMs: 500,
      graceMs: 500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toContain('did not print "listening on …" within 500 ms');
    const childPid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(childPid).toBeGreaterThan(0);
    expect(isRunning(childPid)).toBe(false);
  });

  it('cancels a start through the abort signal', async () => {
    const controller = new AbortController();
    const starting = startService('/bin/sleep', { args: ['60'], signal: controller.signal });
    await sleep(100);
    controller.abort();
    await expect(starting).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe('buildService', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let broken: string;
  beforeAll(async () => {
    tmp = await makeTempDir('broken');
    broken = path.join(tmp.dir, 'src');
    await mkdir(broken);
    await writeFile(path.join(broken, 'go.mod'), 'module example.com/broken\n\ngo 1.23\n');
    await writeFile(path.join(broken, 'main.go'), 'package main\n\nfunc main() {\n\tundefinedThing()\n}\n');
  });
  afterAll(async () => tmp?.cleanup());

  it('reports compiler errors with the file and line', async () => {
    const error = await buildService(broken, { outputPath: path.join(tmp.dir, 'out') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toContain('main.go:4:2: undefined: undefinedThing');
  });

  it('builds through the project Runner, keeping go build output beside the binary', async () => {
    const runner = createRunner();
    const binary = await buildService(SERVICE_DIR, { outputPath: path.join(tmp.dir, 'via-runner'), runner });
    const service = await startService(binary);
    try {
      expect((await fetchText(`${service.url}/healthz`)).status).toBe(200);
    } finally {
      await service.stop();
    }

    const error = await buildService(broken, { outputPath: path.join(tmp.dir, 'broken-bin'), runner }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toContain('undefined: undefinedThing');
    const artifact = (error as ToolError).artifactPath;
    expect(artifact).toBeDefined();
    expect(await readFile(artifact!, 'utf8')).toContain('main.go:4:2: undefined: undefinedThing');
  });

  it('names the missing go tool and how to install it', async () => {
    const error = await buildService(SERVICE_DIR, { outputPath: '/nonexistent/x', env: { PATH: '/nonexistent' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolMissingError);
    expect((error as ToolMissingError).message).toBe('go not found on PATH');
    expect((error as ToolMissingError).hint).toContain('https://go.dev/dl');
  });
});

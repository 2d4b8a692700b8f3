/**
 * Builds and starts test/fixtures/go/pprof-server (a real Go program serving net/http/pprof)
 * for the collect tests.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const SOURCE_DIR = resolve(import.meta.dirname, '../fixtures/go/pprof-server');
const GO = process.env.GO ?? '/usr/local/go/bin/go';

/** `go build`s the server into a temp dir and returns the binary's path. */
export async function buildPprofServer(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gotriage-pprof-server-'));
  const binary = join(dir, 'pprof-server');
  await promisify(execFile)(GO, ['build', '-o', binary, '.'], { cwd: SOURCE_DIR });
  return binary;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT` (or https). */
  url: string;
  stop(): Promise<void>;
}

/** Starts the binary with `args` and waits for its `listening on URL` line. */
export async function startPprofServer(binary: string, args: string[] = []): Promise<RunningServer> {
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', (code) => reject(new Error(`pprof-server exited with ${code} before listening`)));
    lines.once('line', (line) => {
      const match = /^listening on (\S+)$/.exec(line);
      if (match?.[1]) resolveUrl(match[1]);
      else reject(new Error(`unexpected first line from pprof-server: ${line}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

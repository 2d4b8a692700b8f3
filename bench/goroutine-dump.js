// collect.goroutine-dump.200MB: peak RSS of `gotriage collect --profiles goroutine` while
// it streams a debug=2 goroutine dump of more than 200 MB to disk.
//   value    peak RSS of the gotriage process in MiB: GNU time's %M (the kernel's
//            ru_maxrss of the child, read after it exits), or, without /usr/bin/time,
//            the child's VmHWM from /proc polled until it exits
//   baseline the dump's size in MiB
//   ratio    value / 150. Goal < 1: memory stays bounded whatever the dump's size.
// It also checks the file on disk is the whole dump: exactly the size the Go program
// reports it served, with every parked goroutine in it.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildService, startService } from '../dist/demo/service.js';
import { collectArgv } from './gotriage-cli.js';

const here = dirname(fileURLToPath(import.meta.url));
const HOG_DIR = join(here, 'go', 'goroutine-hog');
const GOROUTINES = 48_000;
const MiB = 1024 * 1024;
const GNU_TIME = '/usr/bin/time';

/** Runs node with `args`, returns its exit code and peak RSS in KiB. */
function runMeasured(args, rssFile) {
  return new Promise((resolve, reject) => {
    const viaTime = existsSync(GNU_TIME);
    const child = viaTime
      ? spawn(GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hwmKiB = 0;
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const poll = viaTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwmKiB = Math.max(hwmKiB, Number(m[1]));
          } catch {
            // exited between polls
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const rssKiB = viaTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) : hwmKiB;
      resolve({ code, stdout, stderr, rssKiB, how: viaTime ? 'GNU time %M' : '/proc VmHWM polling' });
    });
  });
}

/** Counts `goroutine N [` headers by streaming the file (it is too big to read whole). */
async function countGoroutines(path) {
  let count = 0;
  let carry = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = carry + chunk;
    count += (text.match(/(^|\n)goroutine \d+ \[/g) ?? []).length;
    // Keep the tail that may hold half a header, minus any newline already counted.
    const lastNl = text.lastIndexOf('\n');
    carry = text.slice(lastNl);
  }
  return count;
}

export async function benchGoroutineDump() {
  const dir = mkdtempSync(join(tmpdir(), 'gotriage-bench-dump-'));
  let hog;
  try {
    const binary = await buildService(HOG_DIR, { outputPath: join(dir, 'goroutine-hog') });
    hog = await startService(binary, { args: ['-goroutines', String(GOROUTINES), '-lifetime', '10m'], startTimeoutMs: 120_000 });
    const out = join(dir, 'out');
    const run = await runMeasured(
      collectArgv(['--target', hog.url, '--profiles', 'goroutine', '--out', out, '--json', '--timeout', '2m']),
      join(dir, 'rss.txt'),
    );
    if (run.code !== 0) throw new Error(`gotriage collect exited ${run.code}:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
    const [hostDir] = readdirSync(out);
    const dump = join(out, hostDir, 'goroutine.txt');
    const size = statSync(dump).size;
    const served = [...hog.stderrTail().matchAll(/served goroutine dump: (\d+) bytes/g)].map((m) => Number(m[1]));
    if (served.length !== 1 || served[0] !== size)
      throw new Error(`the dump on disk has ${size} bytes, the service served ${served.join(', ')} bytes`);
    const goroutines = await countGoroutines(dump);
    if (goroutines < GOROUTINES) throw new Error(`the dump on disk holds ${goroutines} goroutines, fewer than the ${GOROUTINES} parked`);
    const rssMiB = run.rssKiB / 1024;
    console.error(
      `collect.goroutine-dump: ${(size / MiB).toFixed(1)} MiB dump (${goroutines} goroutines, complete), peak RSS ${rssMiB.toFixed(1)} MiB by ${run.how}`,
    );
    return {
      name: 'collect.goroutine-dump.200MB',
      value: Number(rssMiB.toFixed(1)),
      unit: 'MB',
      baseline: Number((size / MiB).toFixed(1)),
      ratio: Number((rssMiB / 150).toFixed(2)),
    };
  } finally {
    await hog?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

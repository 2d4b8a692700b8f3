// profile.top.50MB (issue 4): `go tool pprof -top -nodecount=20` time / our time on the
// same ~50 MB heap profile, each side a whole process, rows checked identical.
// value = our median seconds, baseline = pprof's median seconds, ratio = baseline / value.
// Goal ≥ 3.
//
// The profile is written by bench/go/stack-forest (`-paths 800000`: ~800k samples of
// ~110-frame recursive stacks, about 40–60 s) once and cached in
// $TMPDIR/gotriage-bench-profile/, keyed by the program's source.
// "Ours" is the built CLI, `node bin/gotriage.js analyze FILE --top 20`: recognising the
// file, reading it and printing pprof's table, start to exit. Its `Showing nodes accounting
// for` line and its rows must equal pprof's, or the run fails.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const FOREST = join(here, 'go', 'stack-forest');
const PATHS = 800_000;
const NODECOUNT = 20;
const RUNS = Number(process.env.BENCH_PROFILE_RUNS ?? 3);
const cacheDir = join(tmpdir(), 'gotriage-bench-profile');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(-2000)}`);
  return r;
}

/** Wall seconds of one whole process, and its stdout. */
function timed(cmd, args, env) {
  const start = process.hrtime.bigint();
  const r = run(cmd, args, { env: { ...process.env, ...env } });
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The ~50 MB allocs profile, generated once per version of stack-forest's source. */
export function forestProfile() {
  const source = readFileSync(join(FOREST, 'main.go'));
  const tag = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const profile = join(cacheDir, `forest-${PATHS}-${tag}.pb.gz`);
  if (existsSync(profile)) return profile;
  mkdirSync(cacheDir, { recursive: true });
  const binary = join(cacheDir, `stack-forest-${tag}`);
  run('go', ['build', '-o', binary, '.'], { cwd: FOREST });
  run(binary, ['-out', `${profile}.tmp`, '-paths', String(PATHS)]);
  renameSync(`${profile}.tmp`, profile);
  return profile;
}

/** The table rows of -top text, split on whitespace (values may exceed their 10 columns). */
export function topRows(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%$/.test(l));
  if (start < 0) throw new Error(`no -top table in:\n${text}`);
  return lines
    .slice(start + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/).join(' '));
}

/** pprof's `Showing nodes accounting for …, …% of … total` line. */
function showingLine(text) {
  const line = text.split('\n').find((l) => l.startsWith('Showing nodes accounting for '));
  if (!line) throw new Error(`no "Showing nodes accounting for" line in:\n${text}`);
  return line;
}

export async function benchProfileTop() {
  const profile = forestProfile();
  const ours = [process.execPath, [join(here, '..', 'bin', 'gotriage.js'), 'analyze', profile, '--top', String(NODECOUNT)]];
  const pprof = ['go', ['tool', 'pprof', '-top', `-nodecount=${NODECOUNT}`, profile], { PPROF_TMPDIR: cacheDir }];
  const o = [];
  const p = [];
  for (let i = 0; i < RUNS; i++) {
    const a = timed(...ours);
    const b = timed(...pprof);
    const mine = [showingLine(a.stdout), ...topRows(a.stdout)];
    const theirs = [showingLine(b.stdout), ...topRows(b.stdout)];
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
      throw new Error(`Showing line or rows differ:\n ours: ${mine.join('\n       ')}\n pprof: ${theirs.join('\n        ')}`);
    }
    o.push(a.seconds);
    p.push(b.seconds);
  }
  const value = median(o);
  const baseline = median(p);
  return {
    name: 'profile.top.50MB',
    value: Number(value.toFixed(2)),
    unit: 's',
    baseline: Number(baseline.toFixed(2)),
    ratio: Number((baseline / value).toFixed(2)),
  };
}

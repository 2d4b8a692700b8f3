#!/usr/bin/env node
// Benchmarks for gotriage, measured side by side in one invocation and reported as
// ratios against a baseline (never as timed assertions in tests). Writes
// bench/results.json: an array of {name, value, unit, baseline, ratio}.
//
//   npm run bench
//
// cli.help  wall time of `gotriage --help` / wall time of `node -e 0`, both whole
//           processes, medians of interleaved runs. Goal ≤ 3: heavy modules (xstate,
//           better-sqlite3, the analyzers, handlebars) must load only for commands
//           that need them.
// cli.list  the same for `gotriage list` on an empty database (opens SQLite).
// collect.all-profiles.20-instances   wall time of `gotriage collect` (every profile kind,
//           5 s CPU and trace windows) from 20 demo-service instances / 5 s; baseline is the
//           same capture one request at a time. Goal ≤ 1.3. See bench/collect-fanout.js.
// collect.goroutine-dump.200MB   peak RSS (MiB) of `gotriage collect` streaming a > 200 MB
//           goroutine?debug=2 dump to disk / 150; baseline is the dump's size. Goal < 1.
//           See bench/goroutine-dump.js.
//
// BENCH_ONLY=name[,name] runs only those and updates their entries in results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCollectFanout } from './collect-fanout.js';
import { benchGoroutineDump } from './goroutine-dump.js';
import { goroutineBenches } from './goroutines.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'gotriage.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);

function wallMs(argv, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { stdio: 'ignore', env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Interleaves candidate and baseline runs so machine noise hits both alike. */
function compare(name, candidate, baseline, env = {}) {
  wallMs(candidate, env); // warm the file cache once
  wallMs(baseline, env);
  const c = [];
  const b = [];
  for (let i = 0; i < RUNS; i++) {
    c.push(wallMs(candidate, env));
    b.push(wallMs(baseline, env));
  }
  const value = median(c);
  const base = median(b);
  return { name, value: Number(value.toFixed(1)), unit: 'ms', baseline: Number(base.toFixed(1)), ratio: Number((value / base).toFixed(2)) };
}

const dir = mkdtempSync(join(tmpdir(), 'gotriage-bench-'));
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;
const env = { GOTRIAGE_DB: join(dir, 'bench.db') };
const benches = [
  ['cli.help', async () => compare('cli.help', [bin, '--help'], ['-e', '0'], env)],
  ['cli.list', async () => compare('cli.list', [bin, 'list'], ['-e', '0'], env)],
  ['collect.goroutine-dump.200MB', benchGoroutineDump],
  ['collect.all-profiles.20-instances', benchCollectFanout],
  ...goroutineBenches,
  ['profile.top.50MB', async () => (await import('./profile-top.js')).benchProfileTop()],
];
const resultsPath = join(here, 'results.json');
try {
  const results = [];
  let failed = 0;
  for (const [name, run] of benches) {
    if (only && !only.includes(name)) continue;
    try {
      results.push(await run());
    } catch (error) {
      // One broken benchmark must not lose the others' figures.
      failed++;
      console.error(`${name} failed: ${error instanceof Error ? error.message : error}`);
    }
  }
  // With BENCH_ONLY, the other entries of the last full run are kept.
  const previous = only && existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : [];
  const merged = [...previous.filter((p) => !results.some((r) => r.name === p.name)), ...results];
  merged.sort((a, b) => benches.findIndex(([n]) => n === a.name) - benches.findIndex(([n]) => n === b.name));
  writeFileSync(resultsPath, JSON.stringify(merged, null, 2) + '\n');
  for (const r of results) console.log(`${r.name.padEnd(10)} ${r.value} ${r.unit} vs ${r.baseline} ${r.unit} baseline → ratio ${r.ratio}`);
  if (failed > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

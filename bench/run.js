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
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

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
try {
  const env = { GOTRIAGE_DB: join(dir, 'bench.db') };
  const results = [
    compare('cli.help', [bin, '--help'], ['-e', '0'], env),
    compare('cli.list', [bin, 'list'], ['-e', '0'], env),
  ];
  writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  for (const r of results) console.log(`${r.name.padEnd(10)} ${r.value} ms vs ${r.baseline} ms baseline → ratio ${r.ratio}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

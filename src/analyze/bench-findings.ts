/**
 * `go test -bench` output → one `benchmark` finding per benchmark (its `-count` repeats
 * averaged), and a `tool-failure` finding per benchmark that failed.
 */
import { redactSecrets } from '../core/redact.js';
import type { Finding } from '../core/model.js';
import type { BenchFailure, BenchOutput, BenchRun } from './bench-parse.js';

export { parseBenchOutput, parseBenchText } from './bench-parse.js';
export type { BenchFailure, BenchOutput, BenchRun } from './bench-parse.js';

/** Metric names for the units Go itself prints; ReportMetric units keep their own text (`items/op`). */
const KNOWN_UNITS: Record<string, string> = {
  'ns/op': 'nsPerOp',
  'B/op': 'bytesPerOp',
  'allocs/op': 'allocsPerOp',
  'MB/s': 'mbPerSec',
};

/**
 * One `benchmark` finding (severity info) per benchmark name and package, in the order
 * they first appear. Metrics are means over the runs: `nsPerOp`, `bytesPerOp` and
 * `allocsPerOp` (with -benchmem), `mbPerSec` (with b.SetBytes), custom units as printed,
 * plus `runs` (how many -count repeats), `nsPerOpMin` / `nsPerOpMax` and `iterations`
 * (mean b.N). Each failed benchmark gives one `tool-failure` finding (severity medium)
 * with what it printed the first time.
 */
export function benchFindings(artifactId: number, output: BenchOutput): Finding[] {
  const groups = new Map<string, BenchRun[]>();
  for (const run of output.runs) {
    const key = `${run.pkg ?? ''}\u0000${run.name}`;
    const runs = groups.get(key) ?? [];
    runs.push(run);
    groups.set(key, runs);
  }
  const failures = new Map<string, BenchFailure[]>();
  for (const failure of output.failures) {
    const key = `${failure.pkg ?? ''}\u0000${failure.name}`;
    failures.set(key, [...(failures.get(key) ?? []), failure]);
  }
  return [
    ...[...groups.values()].map((runs) => benchmarkFinding(artifactId, runs, output)),
    ...[...failures.values()].map((same) => failureFinding(artifactId, same)),
  ];
}

function benchmarkFinding(artifactId: number, runs: BenchRun[], output: BenchOutput): Finding {
  const first = runs[0]!;
  const metrics: Record<string, number> = { runs: runs.length, iterations: mean(runs.map((r) => r.iterations)) };
  const units = [...new Set(runs.flatMap((r) => Object.keys(r.values)))];
  for (const unit of units) {
    const values = runs.map((r) => r.values[unit]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (values.length > 0) metrics[KNOWN_UNITS[unit] ?? unit] = mean(values);
  }
  const ns = runs.map((r) => r.values['ns/op']).filter((v): v is number => v !== undefined);
  if (ns.length > 0) {
    metrics.nsPerOpMin = Math.min(...ns);
    metrics.nsPerOpMax = Math.max(...ns);
  }
  const perOp = [
    metrics.nsPerOp !== undefined ? `${formatNs(metrics.nsPerOp)}/op` : undefined,
    metrics.bytesPerOp !== undefined ? `${formatNumber(metrics.bytesPerOp)} B/op` : undefined,
    metrics.allocsPerOp !== undefined ? `${formatNumber(metrics.allocsPerOp)} allocs/op` : undefined,
  ].filter(Boolean);
  const over = runs.length > 1 ? ` (mean of ${runs.length} runs)` : '';
  return {
    kind: 'benchmark',
    title: redactSecrets(`${first.name}: ${perOp.join(', ') || 'no ns/op reported'}${over}`),
    severity: 'info',
    location: { func: benchmarkFunction(first) },
    metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, round(v)])),
    detail: redactSecrets(describeRuns(runs, output)),
    artifactIds: [artifactId],
  };
}

/** One finding for every `--- FAIL:` of one benchmark (each -count repeat fails on its own). */
function failureFinding(artifactId: number, failures: BenchFailure[]): Finding {
  const first = failures[0]!;
  const times = failures.length > 1 ? ` (${failures.length} times)` : '';
  return {
    kind: 'tool-failure',
    title: redactSecrets(`benchmark ${first.name} failed${times}`),
    severity: 'medium',
    location: { func: benchmarkFunction(first) },
    metrics: { failures: failures.length },
    detail: redactSecrets(first.output || '(the benchmark printed nothing)'),
    artifactIds: [artifactId],
  };
}

/**
 * The Go function behind a benchmark name, qualified the way profiles name it:
 * `BenchmarkSum/size=10-2` in package `example.com/x` → `example.com/x.BenchmarkSum`.
 * (`go test` builds even package main under its import path, so that is what the
 * test binary's symbols — and its profiles — say.)
 */
function benchmarkFunction(run: { name: string; pkg?: string }): string {
  const top = run.name.split('/')[0]!.replace(/-\d+$/, '');
  return run.pkg ? `${run.pkg}.${top}` : top;
}

function describeRuns(runs: BenchRun[], output: BenchOutput): string {
  const h = output.header;
  const where = [h.goos && h.goarch ? `${h.goos}/${h.goarch}` : undefined, runs[0]!.pkg, h.cpu].filter(Boolean).join(', ');
  const lines = runs.map(
    (r) =>
      `${r.iterations} iterations: ${Object.entries(r.values)
        .map(([unit, v]) => `${v} ${unit}`)
        .join(', ')}`,
  );
  return `${where ? `${where}\n` : ''}${lines.join('\n')}`;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** 4 significant digits keep means readable without losing what go test printed. */
function round(value: number): number {
  return Number(value.toPrecision(Math.max(4, Math.ceil(Math.log10(Math.abs(value) + 1)))));
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** ns → the largest unit that keeps the number ≥ 1 (`3.68 ms`), as benchstat prints. */
function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(2)} ns`;
}

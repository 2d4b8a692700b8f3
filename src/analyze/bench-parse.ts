/**
 * Parser for `go test -bench` text output (the format of Go's testing package,
 * src/testing/benchmark.go; same shape in Go 1.23 and 1.26).
 *
 *   goos: linux / goarch: amd64 / pkg: example.com/x / cpu: …   header lines, per package
 *   BenchmarkX-2   \t     100\t   3682809 ns/op\t   0.81 MB/s\t  0 B/op\t  0 allocs/op
 *   --- BENCH: BenchmarkX-2 / --- FAIL: BenchmarkX-2           followed by 4-space indented output
 */
import { readLines } from './read-lines.js';

/** One result line: one of the `-count` repeats of one benchmark. */
export interface BenchRun {
  /** As printed, with the `-N` GOMAXPROCS suffix Go adds when N ≠ 1, e.g. `BenchmarkSum/size=10-2`. */
  name: string;
  /** The package from the last `pkg:` header before this line, when there was one. */
  pkg?: string;
  /** b.N of the measured run. */
  iterations: number;
  /** Value per unit, as printed: `ns/op`, `B/op`, `allocs/op`, `MB/s` and custom ReportMetric units. */
  values: Record<string, number>;
}

/** A benchmark that failed (`--- FAIL:`): Go prints no result line for it. */
export interface BenchFailure {
  name: string;
  pkg?: string;
  /** The indented lines Go printed under `--- FAIL:` (b.Fatal / b.Error messages). */
  output: string;
}

export interface BenchOutput {
  /** The last value of each header line (`goos`, `goarch`, `pkg`, `cpu`). */
  header: Partial<Record<'goos' | 'goarch' | 'pkg' | 'cpu', string>>;
  runs: BenchRun[];
  failures: BenchFailure[];
}

const HEADER = /^(goos|goarch|pkg|cpu): (.*)$/;
/** A benchmark name at the start of a line, then the padding Go writes (`%-*s\t`). */
const NAME_START = /^(Benchmark\S*)\s+(.*)$/;
/** `<b.N>` then one or more `<value> <unit>` pairs; units never hold spaces (ReportMetric panics on them). */
const RESULTS = /^\s*(\d+)((?:\s+[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s+\S+)+)\s*$/;
const FAIL_OR_BENCH = /^--- (FAIL|BENCH): (\S+)$/;

/** Parses `go test -bench` output text. Lines it does not know are ignored, never an error. */
export function parseBenchText(text: string): BenchOutput {
  const parser = new BenchParser();
  for (const line of text.split('\n')) parser.line(line.endsWith('\r') ? line.slice(0, -1) : line);
  return parser.finish();
}

/** Parses a file of `go test -bench` output, line by line (memory bounded by the longest line). */
export async function parseBenchOutput(path: string): Promise<BenchOutput> {
  const parser = new BenchParser();
  for await (const line of readLines(path)) parser.line(line);
  return parser.finish();
}

class BenchParser {
  private readonly out: BenchOutput = { header: {}, runs: [], failures: [] };
  private pkg: string | undefined;
  /**
   * A name printed without its numbers yet. testing prints the name before it runs the
   * benchmark, so anything the benchmark writes to stdout lands between the name and its
   * numbers; the numbers then arrive at the start of a later line.
   */
  private pendingName: string | undefined;
  /** The failure whose indented output lines are being collected. */
  private failure: BenchFailure | undefined;

  line(line: string): void {
    if (this.failure && /^ {4}/.test(line)) {
      this.failure.output += (this.failure.output ? '\n' : '') + line.slice(4);
      return;
    }
    this.failure = undefined;

    const header = HEADER.exec(line);
    if (header) {
      const key = header[1] as keyof BenchOutput['header'];
      this.out.header[key] = header[2]!;
      if (key === 'pkg') this.pkg = header[2];
      return;
    }
    const marker = FAIL_OR_BENCH.exec(line);
    if (marker) {
      this.startMarker(marker[1]!, marker[2]!);
      return;
    }
    const named = NAME_START.exec(line);
    if (named) {
      const [, name, rest] = named as unknown as [string, string, string];
      const results = RESULTS.exec(rest);
      if (results) {
        this.addRun(name, results);
        return;
      }
      const inlineMarker = FAIL_OR_BENCH.exec(rest.trim());
      if (inlineMarker) this.startMarker(inlineMarker[1]!, inlineMarker[2]!);
      else this.pendingName = name;
      return;
    }
    const results = this.pendingName ? RESULTS.exec(line) : null;
    if (results) this.addRun(this.pendingName!, results);
  }

  finish(): BenchOutput {
    return this.out;
  }

  private startMarker(kind: string, name: string): void {
    this.pendingName = undefined;
    if (kind !== 'FAIL') return; // --- BENCH: is b.Log output of a benchmark that passed
    this.failure = { name, pkg: this.pkg, output: '' };
    this.out.failures.push(this.failure);
  }

  private addRun(name: string, results: RegExpExecArray): void {
    this.pendingName = undefined;
    const tokens = results[2]!.trim().split(/\s+/);
    const values: Record<string, number> = {};
    for (let i = 0; i + 1 < tokens.length; i += 2) values[tokens[i + 1]!] = Number(tokens[i]);
    this.out.runs.push({ name, pkg: this.pkg, iterations: Number(results[1]), values });
  }
}

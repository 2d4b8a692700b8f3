/**
 * The data every part of gotriage agrees on: steps, findings, hypotheses, artifacts.
 * Parsers produce Findings, the store keeps them, checks read them, the report prints them.
 */

export const STEPS = ['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'postmortem'] as const;
export type StepId = (typeof STEPS)[number];

export type StepStatus = 'started' | 'finished' | 'interrupted' | 'failed' | 'skipped';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Kinds of finding the parsers emit in this version. */
export type FindingKind =
  | 'cpu-hotspot' // a function that dominates a CPU profile
  | 'goroutine-group' // a large group of goroutines parked at the same stack
  | 'goroutine-growth' // a group that grew between two goroutine samples (a leak)
  | 'data-race' // a race detector report
  | 'heap-growth'
  | 'contention'
  | 'escape'
  | 'log-errors' // error lines in logs sharing one message template
  | 'panic' // a panic or fatal error traceback found in logs or output
  | 'metric-change' // a metric series that moved sharply inside the alert window
  | 'benchmark' // a benchmark result (ns/op, B/op, allocs/op)
  | 'collection-failure' // a target or endpoint that could not be collected from
  | 'tool-failure'; // a tool whose failure is itself worth reporting

export interface SourceLocation {
  func: string;
  file?: string;
  line?: number;
}

export interface Finding {
  kind: FindingKind;
  title: string;
  severity: Severity;
  location?: SourceLocation;
  /** Numbers a check can compare against, e.g. {count: 120, growth: 100} or {flatPct: 63.2}. */
  metrics: Record<string, number>;
  /** Free-form detail for the report (a stack, a race's two accesses). Plain text, never a template. */
  detail?: string;
  /** Ids of the artifacts (store rows) this finding came from. */
  artifactIds: number[];
}

export type Verdict = 'pending' | 'confirmed' | 'refuted' | 'inconclusive';

export interface Hypothesis {
  /** Stable id within the incident: `<playbook hypothesis id>:<finding key>`. */
  key: string;
  statement: string;
  /** The check as data, serialised from the playbook (see src/playbook/schema.ts). */
  check: unknown;
  verdict: Verdict;
  /** What the check saw: which findings matched, the numbers compared. Plain text. */
  evidence: string;
}

/** A file kept as evidence. Content lives on disk, addressed by sha256. */
export interface ArtifactRef {
  id: number;
  sha256: string;
  size: number;
  mediaType: string;
  /** Absolute path of the content-addressed file. */
  path: string;
  /** Human label, e.g. `goroutine debug=2 from 127.0.0.1:6060 (sample 1)`. Redacted. */
  label: string;
}

/**
 * Media types of stored artifacts. The analyze step picks a parser by media type,
 * so whoever stores an artifact decides how it will be read.
 */
export const MediaType = {
  /** gzip-compressed profile.proto; `kind` is the endpoint (profile = cpu, heap, goroutine …). */
  pprof: (kind: string) => `application/vnd.google.pprof+gzip; kind=${kind}`,
  /** goroutine dump text: debug=1 (grouped) or debug=2 (panic-style), or a traceback. */
  goroutines: (debug: '1' | '2') => `text/x-go-goroutines; debug=${debug}`,
  /** Legacy text of any other profile (`?debug=1`). */
  pprofText: (kind: string) => `text/x-go-pprof; kind=${kind}`,
  /** Output of `go test -race` / a race-built program (stdout or stderr). */
  race: 'text/x-go-race',
  trace: 'application/x-go-trace',
  /** Log lines as collected (file or command output); `format` as detected or configured. */
  log: (format: string) => `text/x-log; format=${format}`,
  /** A Prometheus query_range result (`data` of the API response) as JSON; `name` is the query's name. */
  promMatrix: (name: string) => `application/vnd.prometheus.matrix+json; name=${name}`,
  /**
   * Compiler diagnostics of `go build -trimpath -gcflags=-m[=2]` (stderr); `module` is the
   * module path, which positions are stripped of to become module-relative.
   */
  goEscape: (modulePath: string) => `text/x-go-escape; module=${modulePath}`,
  /** `go list -deps -json` output: a stream of concatenated JSON objects. */
  goList: 'application/x-go-list+json',
  /** Graphviz DOT source (the dependency graph). */
  dot: 'text/vnd.graphviz',
  /** Mermaid flowchart source (the dependency graph). */
  mermaid: 'text/vnd.mermaid',
  /** `go test -bench` text output. */
  goBench: 'text/x-go-bench',
  /** A compiled test binary kept so bench profiles symbolise (`go tool pprof bin prof`). */
  goTestBinary: 'application/x-executable; kind=go-test',
  text: 'text/plain',
  markdown: 'text/markdown',
  svg: 'image/svg+xml',
  png: 'image/png',
  diff: 'text/x-diff',
  html: 'text/html',
} as const;

/** Parses `a/b; k=v; k2=v2` → { type: 'a/b', params: {k: 'v', k2: 'v2'} }. */
export function parseMediaType(mediaType: string): { type: string; params: Record<string, string> } {
  const [type = '', ...rest] = mediaType.split(';').map((s) => s.trim());
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return { type, params };
}

/**
 * Whether a Go function belongs to the service rather than the standard library:
 * `main.x`, or a package path whose first element has a dot (example.com/…).
 * Standard packages (runtime, net/http, internal/…) never have a dot there.
 */
export function isUserFunction(funcName: string): boolean {
  if (funcName.startsWith('main.')) return true;
  const slash = funcName.indexOf('/');
  // Without a slash the name is `pkg.Func`: a one-element path, which only std uses (besides main).
  if (slash < 0) return false;
  return funcName.slice(0, slash).includes('.') && !funcName.startsWith('golang.org/toolchain');
}

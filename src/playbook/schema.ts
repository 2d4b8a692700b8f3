/**
 * The playbook schema: what each step does for one kind of incident.
 * Every object is strict (unknown keys are errors, so `timout:` is caught), and every
 * field meant as text is a string — `go: 1.20` must fail instead of becoming 1.2.
 *
 * Strings may hold `{{name}}` placeholders; they are filled per argument from incident
 * data by interpolate.ts and can never split into two arguments.
 */
import { z } from 'zod';
import { PPROF_ENDPOINTS } from '../core/pprof-endpoints.js';

/**
 * Parameters an action needs; when one is missing or empty the action is skipped with
 * a recorded reason instead of failing (e.g. metrics when no Prometheus URL was given).
 */
const requires = z.array(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.]*$/)).default([]);

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'ids are lower-case letters, digits and dashes, starting with a letter');

/** `500ms`, `30s`, `2m` — a duration string, converted to ms by parseDuration. */
export const durationSchema = z.string().regex(/^\d+(ms|s|m)$/, 'a duration like 500ms, 30s or 2m');

export const promptSchema = z.strictObject({
  /** Answer key within the step; stored as `<step>.<key>`. */
  key: id,
  type: z.enum(['input', 'editor', 'confirm', 'select']).default('input'),
  message: z.string(),
  default: z.union([z.string(), z.boolean()]).optional(),
  choices: z.array(z.string()).optional(),
  optional: z.boolean().default(false),
});

/** Fetch one pprof endpoint over HTTP from every target. */
export const pprofActionSchema = z.strictObject({
  id,
  kind: z.literal('pprof'),
  description: z.string().optional(),
  requires,
  /** Endpoint under the target's pprof base path (the table in core/pprof-endpoints.ts). */
  profile: z.enum(PPROF_ENDPOINTS),
  /** `debug=N` query (text formats); omitted = proto. */
  debug: z.enum(['0', '1', '2']).optional(),
  /** Capture window for profile and trace. */
  seconds: z.number().int().positive().max(600).optional(),
  /** Take this many samples `interval` apart (growth analysis). */
  samples: z.number().int().min(1).max(10).default(1),
  interval: durationSchema.optional(),
  timeout: durationSchema.optional(),
});

/** Run a tool (argv, never a shell) and keep its output. */
export const commandActionSchema = z.strictObject({
  id,
  kind: z.literal('command'),
  description: z.string().optional(),
  requires,
  /** The executable, e.g. `go`. */
  tool: z.string().min(1),
  args: z.array(z.string()).default([]),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  timeout: durationSchema.optional(),
  /** Which parser reads the output into findings. */
  parse: z.enum(['race', 'goroutines', 'none']).default('none'),
  /** Exit codes that mean "ran fine" (a failing race test exits 1 and is evidence, not an error). */
  okExitCodes: z.array(z.number().int()).default([0]),
});

/** A command whose output is kept and parsed (logs from journalctl, kubectl logs …). */
const embeddedCommandSchema = z.strictObject({
  tool: z.string().min(1),
  args: z.array(z.string()).default([]),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});

/** Logs around the alert window: files (glob patterns; rotated siblings included) or a command. */
export const logsActionSchema = z.strictObject({
  id,
  kind: z.literal('logs'),
  description: z.string().optional(),
  requires,
  /** Glob patterns (`*`, `?`, `[…]` in the last path element), e.g. `/var/log/checkout/*.log`. Exactly one of files / command. */
  files: z.array(z.string()).optional(),
  command: embeddedCommandSchema.optional(),
  format: z.enum(['auto', 'slog-json', 'slog-text', 'zap', 'zerolog', 'stdlog', 'plain']).default('auto'),
  timeout: durationSchema.optional(),
});

/** Prometheus range queries over the alert window. */
export const metricsActionSchema = z.strictObject({
  id,
  kind: z.literal('metrics'),
  description: z.string().optional(),
  requires,
  /** Base URL of the Prometheus HTTP API, e.g. `{{prometheusUrl}}`. */
  prometheus: z.string(),
  queries: z.array(z.strictObject({ name: id, expr: z.string(), unit: z.string().optional() })).default([]),
  /** Also query the alert's own expression, when the alert carries one. */
  alertExpr: z.boolean().default(true),
  step: durationSchema.default('15s'),
  timeout: durationSchema.optional(),
});

/** `go test -bench` with CPU and memory profiles, keeping the test binary so they symbolise. */
export const benchActionSchema = z.strictObject({
  id,
  kind: z.literal('bench'),
  description: z.string().optional(),
  requires,
  /** Directory of the module (usually `{{serviceDir}}`). */
  cwd: z.string(),
  /** One package pattern that names a single package (profiles need one test binary). */
  package: z.string().default('.'),
  bench: z.string().default('.'),
  benchtime: z
    .string()
    .regex(/^\d+(x|ns|us|ms|s|m)$/, 'like 1s, 500ms or 100x')
    .default('1s'),
  count: z.number().int().min(1).max(50).default(1),
  timeout: durationSchema.optional(),
});

/** Escape analysis (`go build -gcflags=-m=2`) of the service's packages; an analyze-step action. */
export const escapeActionSchema = z.strictObject({
  id,
  kind: z.literal('escape'),
  description: z.string().optional(),
  requires,
  /** Directory of the module (usually `{{serviceDir}}`). */
  cwd: z.string(),
  packages: z.array(z.string()).default(['./...']),
  timeout: durationSchema.optional(),
});

/**
 * The package dependency graph (`go list -deps`) as DOT, Mermaid and SVG, with the
 * packages named by this step's findings highlighted; runs after the step's findings exist.
 */
export const depsActionSchema = z.strictObject({
  id,
  kind: z.literal('deps'),
  description: z.string().optional(),
  requires,
  cwd: z.string(),
  /** Standard-library packages folded into one node, or dropped. */
  std: z.enum(['fold', 'drop']).default('fold'),
  timeout: durationSchema.optional(),
});

export const actionSchema = z.discriminatedUnion('kind', [
  pprofActionSchema,
  commandActionSchema,
  logsActionSchema,
  metricsActionSchema,
  benchActionSchema,
]);
export const analyzeActionSchema = z.discriminatedUnion('kind', [commandActionSchema, escapeActionSchema, depsActionSchema]);

/** A predicate over findings: the check is confirmed when at least `min` findings match. */
export const findingCheckSchema = z.strictObject({
  kind: z.enum([
    'cpu-hotspot',
    'goroutine-group',
    'goroutine-growth',
    'data-race',
    'heap-growth',
    'contention',
    'escape',
    'log-errors',
    'panic',
    'metric-change',
    'benchmark',
    'collection-failure',
  ]),
  /** Regexp the finding's function must match (may use `{{finding.func}}`, escaped). */
  func: z.string().optional(),
  /** Lower bounds on finding metrics, e.g. {growth: 10} or {flatPct: 20}. */
  metrics: z.record(z.string(), z.number()).optional(),
  min: z.number().int().min(1).default(1),
});

export const hypothesisSchema = z.strictObject({
  id,
  /** Propose one hypothesis per finding of this kind (and matching func regexp, if given). */
  forEach: z.strictObject({
    kind: findingCheckSchema.shape.kind,
    func: z.string().optional(),
    /** Lower bounds the finding's metrics must reach to get a hypothesis, e.g. {leaked: 1}. */
    metrics: z.record(z.string(), z.number()).optional(),
  }),
  /** The statement; `{{finding.func}}`, `{{finding.file}}`, `{{finding.line}}`, `{{finding.title}}` are filled. */
  statement: z.string(),
  check: findingCheckSchema,
});

const stepBase = {
  /** Shown to the engineer when the step starts. */
  description: z.string().optional(),
  prompts: z.array(promptSchema).default([]),
};

export const playbookSchema = z.strictObject({
  apiVersion: z.literal('gotriage/v1'),
  name: id,
  title: z.string(),
  description: z.string().optional(),
  /** Parameters with defaults; filled from flags, the alert's labels, or answers. */
  params: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/), z.string()).default({}),
  steps: z.strictObject({
    alert: z.strictObject({ ...stepBase }).default({ prompts: [] }),
    gather: z.strictObject({ ...stepBase, actions: z.array(actionSchema).default([]) }).default({ prompts: [], actions: [] }),
    analyze: z.strictObject({ ...stepBase, actions: z.array(analyzeActionSchema).default([]) }).default({ prompts: [], actions: [] }),
    hypothesize: z
      .strictObject({ ...stepBase, hypotheses: z.array(hypothesisSchema).default([]) })
      .default({ prompts: [], hypotheses: [] }),
    fix: z
      .strictObject({
        ...stepBase,
        /** Gather actions (by id) re-run after the fix to get fresh evidence for the re-check. */
        recheck: z.array(id).default([]),
      })
      .default({ prompts: [], recheck: [] }),
    postmortem: z
      .strictObject({ ...stepBase, template: z.string().default('postmortem.md.hbs') })
      .default({ prompts: [], template: 'postmortem.md.hbs' }),
  }),
});

export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookAction = z.infer<typeof actionSchema> | z.infer<typeof analyzeActionSchema>;
export type PprofAction = z.infer<typeof pprofActionSchema>;
export type CommandAction = z.infer<typeof commandActionSchema>;
export type LogsAction = z.infer<typeof logsActionSchema>;
export type MetricsAction = z.infer<typeof metricsActionSchema>;
export type BenchAction = z.infer<typeof benchActionSchema>;
export type EscapeAction = z.infer<typeof escapeActionSchema>;
export type DepsAction = z.infer<typeof depsActionSchema>;
export type PlaybookPrompt = z.infer<typeof promptSchema>;
export type PlaybookHypothesis = z.infer<typeof hypothesisSchema>;
export type FindingCheck = z.infer<typeof findingCheckSchema>;

/** `30s` → 30000. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

/**
 * What an artifact is, as data: written by whoever makes the artifact (the actions in
 * src/engine/actions/, the steps that keep files), stored as the artifact's
 * `attributes_json` column and validated against this one schema on the way in and out.
 *
 * The artifact's label stays, for people; nothing reads facts back out of it. A reader
 * that needs the target, the sample index or the query of an artifact reads them here.
 */
import { redactUrl } from '../core/redact.js';
import { z } from 'zod';

const count = z.number().int().nonnegative();
const ordinal = z.number().int().positive();

/** What a file kept by a step (not by a collector) is, when its media type does not say. */
const ARTIFACT_ROLES = ['alert', 'chart', 'flame-graph', 'call-graph', 'dependency-graph', 'fix-diff', 'postmortem'] as const;

/**
 * Every attribute is optional: each kind of artifact sets the ones that mean something for
 * it. Unknown keys are refused (a misspelt attribute is a bug, not data).
 */
export const artifactAttributesSchema = z.strictObject({
  /** The instance it was collected from: redacted, as recordedTarget() writes it. */
  target: z.string().optional(),
  /** The URL that was fetched (redacted). */
  endpoint: z.string().optional(),
  /** The pprof endpoint's name: `profile` (CPU), `heap`, `goroutine`, `goroutineleak`, `trace` … */
  profile: z.string().optional(),
  /** pprof `?debug=` level as requested. */
  debug: z.string().optional(),
  /** Length of a timed capture (CPU profile, trace), seconds. */
  seconds: z.number().nonnegative().optional(),
  /** Which sample of an action that takes several (1-based), and how many it takes. */
  sample: ordinal.optional(),
  samples: ordinal.optional(),
  /** A Prometheus range query: its name in the playbook (or `alert-expr`) and the expression sent. */
  query: z.strictObject({ name: z.string(), expr: z.string() }).optional(),
  /** The run of actions it belongs to, e.g. `gather12` (one per step run). */
  round: z.string().optional(),
  /** Where a profile came from when it is not the service itself: `bench` (its Go benchmarks). */
  source: z.literal('bench').optional(),
  /** Which output of a tool run this is. */
  stream: z.enum(['stdout', 'stderr']).optional(),
  role: z.enum(ARTIFACT_ROLES).optional(),
  /** The artifact this one was drawn from (a flame graph's CPU profile). */
  of: ordinal.optional(),
  /** Only part of the response arrived (a deadline or a broken connection cut it). */
  partial: z.boolean().optional(),
  /** Kept although its collection failed (e.g. an HTML page instead of a profile); `reason` says why. */
  failed: z.boolean().optional(),
  reason: z.string().optional(),
  /** Log sources: the file (or command) read, its rotated siblings, lines read and kept, the format. */
  logSource: z.string().optional(),
  rotated: count.optional(),
  linesRead: count.optional(),
  linesKept: count.optional(),
  format: z.string().optional(),
  /** Go packages a tool ran on (`go test -bench`, escape analysis). */
  packages: z.array(z.string()).optional(),
  /** The -bench pattern of a benchmark run. */
  bench: z.string().optional(),
  /** The revision a fix diff shows; absent for the uncommitted change (`git diff HEAD`). */
  commit: z.string().optional(),
});

export type ArtifactAttributes = z.infer<typeof artifactAttributesSchema>;

/**
 * A target URL as every record stores it: credentials and secret query values masked
 * (redactUrl keeps the `***@` mark, so two targets differing only in userinfo stay apart),
 * no trailing slash. Collection records, artifact attributes and events all use this, so
 * a reader matches targets by equality.
 */
export function recordedTarget(target: string): string {
  return redactUrl(target.trim()).replace(/\/+$/, '');
}

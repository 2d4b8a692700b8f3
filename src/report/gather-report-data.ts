/**
 * The part of the postmortem's data that shows what the gather step collected: pictures copied
 * beside the report, the collection matrix (target × action), logs, metrics and benchmarks.
 * Plain JSON data like report-data.ts: absent values are `null`, never missing (strict templates).
 */
import type { Severity } from '../core/model.js';
import type { ReportArtifact } from './report-artifact.js';

/** An SVG/PNG artifact copied beside the report and embedded by the template. */
export interface ReportImage {
  artifactId: number;
  /** The artifact's label (redacted); printed through the `md` helper as the image's alt text. */
  alt: string;
  /**
   * Where the copy sits, relative to the report: `<incident-id>/<safe-name>.svg`. Generated from
   * `[a-z0-9-]` names only (see image-names.ts), never taken from incident data.
   */
  path: string;
  mediaType: string;
  size: number;
  /** Step that produced it, e.g. `gather #1`. */
  step: string;
  /** Why the picture could not be copied (its artifact file is gone, e.g. `ENOENT`), else null. */
  error: string | null;
}

/**
 * A collection record's status as the table words it: a `failed` record that kept some
 * evidence is `partly failed`, an `ok` one that kept nothing (no file matched) `nothing collected`.
 */
export type CollectionStatus = 'ok' | 'partly failed' | 'failed' | 'skipped' | 'not served' | 'nothing collected';

/** One row of the Collection table: one gather action on one target (one collection record). */
export interface ReportCollectionRow {
  /** Redacted target URL; null for an action that does not collect per target (logs, metrics, bench). */
  target: string | null;
  /** Playbook action id. */
  action: string;
  /** `gather #2` when the incident gathered more than once, else null. */
  step: string | null;
  status: CollectionStatus;
  /** Why it failed or was skipped (redacted); empty when there is nothing to say. */
  reasons: string[];
  /** Artifacts kept and their total size in bytes (partial responses included). */
  artifacts: number;
  bytes: number;
}

export interface ReportCollection {
  /** Whether a gather step ran at all (any attempt, any status). */
  gathered: boolean;
  /** Targets from the incident's `targets` parameter (else `target`), redacted, in order. */
  targets: string[];
  /** The alert window from the `window.start` / `window.end` parameters; null when either is absent. */
  window: { start: string; end: string; durationMs: number | null } | null;
  rows: ReportCollectionRow[];
  /** How many rows have status failed or partly failed. */
  failedRows: number;
}

/** A `log-errors` finding as a table row. */
export interface ReportLogErrorGroup {
  /** The finding's number in the Findings section. */
  number: number;
  /** The message template (the finding's title). */
  template: string;
  severity: Severity;
  count: number | null;
  /** ISO times from the finding's `firstSeenMs` / `lastSeenMs` metrics (Unix ms); null when absent. */
  firstSeen: string | null;
  lastSeen: string | null;
}

/** A `panic` finding with its traceback, shown exactly as the tool printed it. */
export interface ReportPanic {
  number: number;
  title: string;
  location: string | null;
  /** The traceback (the finding's detail); '' when the finding has none. */
  traceback: string;
  /** Labels of the artifacts it was found in. */
  sources: string[];
}

export interface ReportLogs {
  /** Whether the section is printed: log artifacts were kept or log findings exist. */
  shown: boolean;
  /** Log artifacts kept (labels name the file or command). */
  sources: ReportArtifact[];
  errorGroups: ReportLogErrorGroup[];
  panics: ReportPanic[];
}

/** A `metric-change` finding under its chart. */
export interface ReportMetricChange {
  number: number;
  title: string;
  severity: Severity;
  metrics: { name: string; value: number }[];
}

export interface ReportChart {
  /** The query's name (the chart artifact's `query` attribute). */
  name: string;
  image: ReportImage;
  changes: ReportMetricChange[];
}

export interface ReportMetrics {
  /** Whether the section is printed: query results, charts or metric-change findings exist. */
  shown: boolean;
  /** How many query results (Prometheus matrices) were kept. */
  queries: number;
  charts: ReportChart[];
  /** metric-change findings tied to no chart. */
  otherChanges: ReportMetricChange[];
}

export interface ReportBenchmark {
  number: number;
  /** Benchmark name, e.g. `BenchmarkSlowChecksum-2`. */
  name: string;
  nsPerOp: number | null;
  bytesPerOp: number | null;
  allocsPerOp: number | null;
}

export interface ReportBenchmarks {
  /** Whether the section is printed: bench output was kept or benchmark findings exist. */
  shown: boolean;
  rows: ReportBenchmark[];
}

/**
 * The shape of the data a postmortem template sees. Plain, JSON-serialisable data only:
 * every optional value is present as `null` because the templates compile in Handlebars'
 * strict mode, where reading a missing field throws.
 */
import type { Severity, StepId, StepStatus, Verdict } from '../core/model.js';
import type { IncidentStatus } from '../store/store.js';
import type { ReportArtifact } from './report-artifact.js';
import type { ReportBenchmarks, ReportCollection, ReportImage, ReportLogs, ReportMetrics } from './gather-report-data.js';

export type * from './gather-report-data.js';

export interface ReportData {
  /** When the report was rendered (ISO). */
  generatedAt: string;
  incident: ReportIncident;
  summary: ReportSummary;
  /** Step runs in the order they started, each with the evidence it gathered. */
  steps: ReportStep[];
  /** Artifacts not tied to a step run (e.g. the alert file). */
  otherArtifacts: ReportArtifact[];
  timeline: ReportEvent[];
  /** Most severe first, then by kind. */
  findings: ReportFinding[];
  /** How many of them are listed in the table only (no entry of their own). */
  findingsListedOnly: number;
  hypotheses: ReportHypothesis[];
  fixes: ReportFix[];
  /** What the gather step collected, per target × action, and the alert window. */
  collection: ReportCollection;
  logs: ReportLogs;
  metrics: ReportMetrics;
  benchmarks: ReportBenchmarks;
  /** Pictures copied beside the report that are not metric charts (call graphs …). */
  pictures: ReportImage[];
}

export interface ReportIncident {
  id: string;
  title: string;
  severity: Severity;
  service: string;
  playbookName: string;
  state: string;
  status: IncidentStatus;
  createdAt: string;
  updatedAt: string;
  params: { name: string; value: string }[];
  /** The alert as ingested: its `text` when it is `{ text }`, else pretty JSON; null when empty. */
  alertText: string | null;
  /** Info string for the alert's code block: `json` for a structured alert, else ''. */
  alertFormat: 'json' | '';
  alertTruncated: boolean;
}

export interface ReportSummary {
  /** When the alert fired (its `startsAt`) or, lacking that, when the incident was opened. */
  startedAt: string;
  /** When the fix was verified; null while unresolved. */
  resolvedAt: string | null;
  timeToResolveMs: number | null;
  resolved: boolean;
  /**
   * Hypotheses a check confirmed at some point: the root cause as the checks established it.
   * Not only those whose latest verdict is `confirmed`: a verified fix re-runs the checks and
   * records them `refuted` (the cause is gone), which must not erase the root cause.
   */
  rootCauses: ReportHypothesis[];
  counts: {
    stepRuns: number;
    toolRuns: number;
    artifacts: number;
    findings: number;
    hypotheses: number;
    /** Hypotheses ever confirmed (the root causes). */
    confirmed: number;
    /** Hypotheses refuted and never confirmed. */
    ruledOut: number;
    fixes: number;
  };
  /** Finding counts per severity, most severe first, only severities that occur. */
  findingsBySeverity: { severity: Severity; count: number }[];
}

export interface ReportStep {
  stepRunId: number;
  step: StepId;
  attempt: number;
  status: StepStatus;
  /** Skip reason or failure message. */
  reason: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  toolRuns: ReportToolRun[];
  artifacts: ReportArtifact[];
  findingCount: number;
}

export interface ReportToolRun {
  actionId: string;
  /** The argv as one display line (shell-style quoting, for reading only — never executed). */
  command: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  startedAt: string;
  /** `exit 0`, `exit 1`, `killed by SIGKILL`, `timed out (SIGKILL)`. */
  outcome: string;
  stdout: ReportArtifact | null;
  stderr: ReportArtifact | null;
}

export interface ReportEvent {
  at: string;
  step: StepId | null;
  kind: string;
  message: string;
}

export interface ReportFinding {
  /** 1-based position in the sorted list, for cross-references. */
  number: number;
  kind: string;
  title: string;
  severity: Severity;
  /** `main.renderExport (main.go:27)`; null when the finding has no location. */
  location: string | null;
  func: string | null;
  metrics: { name: string; value: number }[];
  detail: string | null;
  /** Step and attempt that produced it, e.g. `analyze #1`. */
  step: string;
  artifacts: ReportArtifact[];
  /** The section that prints `detail` instead of this finding's entry (a panic's traceback: `Logs`), else null. */
  detailShownIn: string | null;
  /** In the Findings table only, without an entry (evidence-sections.ts listedOnly). */
  listedOnly: boolean;
}

export interface ReportCheck {
  /** `hypothesize #1`, `fix #1` … */
  step: string;
  verdict: Verdict;
  evidence: string;
  at: string;
}

export interface ReportHypothesis {
  key: string;
  statement: string;
  verdict: Verdict;
  evidence: string;
  /** The check as data, pretty JSON. */
  check: string;
  /** Oldest first. */
  checks: ReportCheck[];
  /** Step (`hypothesize #1`) of the first check that confirmed it; null when none did. */
  confirmedAt: string | null;
  /** The newest check, or null when the check never ran. */
  lastCheck: ReportCheck | null;
}

export interface ReportFix {
  summary: string;
  commit: string | null;
  /** null = not re-checked yet. */
  verified: boolean | null;
  at: string;
  step: string;
  diff: ReportDiff | null;
}

export interface ReportDiff {
  /** The diff text, cut at a line boundary when longer than the report keeps. */
  text: string;
  truncated: boolean;
  /** Size of the whole diff artifact. */
  size: number;
  artifact: ReportArtifact;
  /** Why the text could not be read (file gone), else null. */
  error: string | null;
}

export type { ReportArtifact } from './report-artifact.js';

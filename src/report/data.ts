/**
 * Gathers everything the postmortem shows from the Store into plain data (report-data.ts).
 * The templates then only format; every decision about order, grouping and derived numbers
 * (time to resolve, root cause, counts) is made here, where it can be tested.
 */
import { relative } from 'node:path';
import { SEVERITIES } from '../core/model.js';
import { UsageError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';
import type {
  Incident,
  Store,
  StoredArtifact,
  StoredFinding,
  StoredHypothesis,
  FixRecord,
  StepRun,
  TimelineEvent,
  ToolRunRecord,
} from '../store/store.js';
import { eventKindShown, eventMessage } from '../store/timeline-event.js';
import { describeAlert, displayCommand, describeOutcome, alertStartedAt } from './describe.js';
import { readTextHead } from './read-text-head.js';
import { detailShownIn, listedOnly } from './evidence-sections.js';
import { buildGatherSections } from './gather-sections.js';
import type { CopiedImage } from './report-images.js';
import type {
  ReportArtifact,
  ReportData,
  ReportEvent,
  ReportFinding,
  ReportFix,
  ReportHypothesis,
  ReportStep,
  ReportSummary,
  ReportToolRun,
} from './report-data.js';

/** The Store methods the report reads; a whole Store satisfies it. */
export type ReportStore = Pick<
  Store,
  'getIncident' | 'stepRuns' | 'artifacts' | 'toolRuns' | 'collections' | 'timeline' | 'findings' | 'hypotheses' | 'fixes'
>;

export interface BuildReportOptions {
  /** Directory the report will be written to: artifact paths are made relative to it. */
  reportDir?: string;
  /** Render time; defaults to now. */
  now?: Date;
  /** How much of a fix's diff the report keeps (bytes / lines). Defaults: 64 KiB / 800 lines. */
  maxDiffBytes?: number;
  maxDiffLines?: number;
  /** The pictures renderPostmortem copied beside the report, so the report can say which are missing. */
  copiedImages?: readonly CopiedImage[];
}

const DEFAULT_MAX_DIFF_BYTES = 64 * 1024;
const DEFAULT_MAX_DIFF_LINES = 800;

/**
 * Reads incident `incidentId` from `store` and returns the postmortem's data: step runs with
 * their tool runs and artifacts, the timeline, findings (most severe first, then by kind),
 * hypotheses with their check history, fixes with their diff text, summary fields, and what gather
 * collected (Collection, Logs, Metrics, Benchmarks, Pictures: gather-sections.ts).
 * Every string is passed through redactSecrets: the store keeps redacted values already, and
 * this is the last gate before text leaves gotriage. Throws UsageError for an unknown incident.
 */
export async function buildReportData(store: ReportStore, incidentId: string, options: BuildReportOptions = {}): Promise<ReportData> {
  const incident = await requireIncident(store, incidentId);

  const runs = [...(await store.stepRuns(incidentId))].sort((a, b) => compareText(a.startedAt, b.startedAt) || a.id - b.id);
  const stepLabels = new Map(runs.map((run) => [run.id, `${run.step} #${run.attempt}`]));
  const labelOf = (stepRunId: number | null) => (stepRunId === null ? 'none' : (stepLabels.get(stepRunId) ?? `step run ${stepRunId}`));

  const storedArtifacts = await store.artifacts(incidentId);
  const storedById = new Map(storedArtifacts.map((a) => [a.id, a]));
  const artifacts = new Map(storedArtifacts.map((a) => [a.id, toReportArtifact(a, options.reportDir)]));
  const artifactOf = (id: number | null) => (id === null ? null : (artifacts.get(id) ?? null));

  const storedToolRuns = await store.toolRuns(incidentId);
  const toolRuns = storedToolRuns.map((run) => toReportToolRun(run, artifactOf));
  const storedFindings = await store.findings(incidentId);
  const findings = sortFindings(storedFindings).map((f, i) => toReportFinding(f, i + 1, labelOf(f.stepRunId), artifactOf));
  const hypotheses = (await store.hypotheses(incidentId)).map((h) => toReportHypothesis(h, labelOf));
  const storedFixes = await store.fixes(incidentId);
  const fixes = storedFixes.map((fix) => {
    const diffId = fix.diffArtifactId;
    const stored = diffId === null ? undefined : storedById.get(diffId);
    return toReportFix(fix, labelOf(fix.stepRunId), stored, artifactOf(diffId), options);
  });

  const steps: ReportStep[] = runs.map((run) => ({
    stepRunId: run.id,
    step: run.step,
    attempt: run.attempt,
    status: run.status,
    reason: run.reason,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: elapsedMs(run.startedAt, run.finishedAt),
    toolRuns: toolRuns.filter((_t, i) => storedToolRuns[i]!.stepRunId === run.id),
    artifacts: storedArtifacts.filter((a) => a.stepRunId === run.id).map((a) => artifacts.get(a.id)!),
    findingCount: storedFindings.filter((f) => f.stepRunId === run.id).length,
  }));

  const timeline = await store.timeline(incidentId);
  const gathered = buildGatherSections({
    incident,
    runs,
    storedArtifacts,
    reportArtifacts: [...artifacts.values()],
    collections: await store.collections(incidentId),
    findings,
    copiedImages: options.copiedImages,
    stepLabel: labelOf,
  });

  const alert = describeAlert(incident.alert);
  const data: ReportData = {
    generatedAt: (options.now ?? new Date()).toISOString(),
    incident: {
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      service: incident.service,
      playbookName: incident.playbookName,
      state: incident.state,
      status: incident.status,
      createdAt: incident.createdAt,
      updatedAt: incident.updatedAt,
      params: Object.entries(incident.params).map(([name, value]) => ({ name, value })),
      alertText: alert.text,
      alertFormat: alert.format,
      alertTruncated: alert.truncated,
    },
    summary: summarise({
      startedAt: alertStartedAt(incident.alert) ?? incident.createdAt,
      runs,
      storedFixes,
      findings,
      hypotheses,
      toolRunCount: toolRuns.length,
      artifactCount: storedArtifacts.length,
    }),
    steps,
    otherArtifacts: storedArtifacts.filter((a) => a.stepRunId === null).map((a) => artifacts.get(a.id)!),
    timeline: [...timeline].sort((a, b) => compareText(a.at, b.at)).map(toReportEvent),
    findings,
    findingsListedOnly: findings.filter((f) => f.listedOnly).length,
    hypotheses,
    fixes,
    ...gathered,
  };
  return redactStrings(data);
}

/** The incident, or a UsageError saying how to list them. */
export async function requireIncident(store: Pick<ReportStore, 'getIncident'>, incidentId: string): Promise<Incident> {
  const incident = await store.getIncident(incidentId);
  if (!incident) throw new UsageError(`no incident with id ${incidentId}`, 'list incidents with: gotriage list');
  return incident;
}

interface SummaryInput {
  startedAt: string;
  runs: StepRun[];
  storedFixes: FixRecord[];
  findings: ReportFinding[];
  hypotheses: ReportHypothesis[];
  toolRunCount: number;
  artifactCount: number;
}

/** Derived fields: resolved = a fix whose re-check verified it; root cause = hypotheses ever confirmed. */
function summarise(input: SummaryInput): ReportSummary {
  const verified = input.storedFixes.filter((fix) => fix.verified === true);
  const resolvedAt = verified.length > 0 ? verified[verified.length - 1]!.at : null;
  const confirmed = input.hypotheses.filter((h) => h.confirmedAt !== null);
  return {
    startedAt: input.startedAt,
    resolvedAt,
    timeToResolveMs: elapsedMs(input.startedAt, resolvedAt),
    resolved: resolvedAt !== null,
    rootCauses: confirmed,
    counts: {
      stepRuns: input.runs.length,
      toolRuns: input.toolRunCount,
      artifacts: input.artifactCount,
      findings: input.findings.length,
      hypotheses: input.hypotheses.length,
      confirmed: confirmed.length,
      ruledOut: input.hypotheses.filter((h) => h.verdict === 'refuted' && h.confirmedAt === null).length,
      fixes: input.storedFixes.length,
    },
    findingsBySeverity: [...SEVERITIES]
      .reverse()
      .map((severity) => ({ severity, count: input.findings.filter((f) => f.severity === severity).length }))
      .filter((entry) => entry.count > 0),
  };
}

/** Most severe first; then by kind so related findings sit together; then in the order found. */
function sortFindings(findings: StoredFinding[]): StoredFinding[] {
  const rank = (f: StoredFinding) => SEVERITIES.indexOf(f.severity);
  return [...findings].sort((a, b) => rank(b) - rank(a) || compareText(a.kind, b.kind) || a.id - b.id);
}

function toReportFinding(
  finding: StoredFinding,
  number: number,
  step: string,
  artifactOf: (id: number) => ReportArtifact | null,
): ReportFinding {
  const loc = finding.location;
  const where = loc?.file ? ` (${loc.file}${loc.line !== undefined ? `:${loc.line}` : ''})` : '';
  return {
    number,
    kind: finding.kind,
    title: finding.title,
    severity: finding.severity,
    location: loc ? `${loc.func}${where}` : null,
    func: loc?.func ?? null,
    metrics: Object.entries(finding.metrics).map(([name, value]) => ({ name, value })),
    detail: finding.detail ?? null,
    step,
    artifacts: finding.artifactIds.flatMap((id) => artifactOf(id) ?? []),
    detailShownIn: detailShownIn(finding.kind),
    listedOnly: listedOnly(finding),
  };
}

function toReportHypothesis(h: StoredHypothesis, labelOf: (id: number) => string): ReportHypothesis {
  const checks = h.checks.map((c) => ({ step: labelOf(c.stepRunId), verdict: c.verdict, evidence: c.evidence, at: c.at }));
  const firstConfirmed = checks.find((c) => c.verdict === 'confirmed');
  return {
    key: h.key,
    statement: h.statement,
    verdict: h.verdict,
    evidence: h.evidence,
    check: JSON.stringify(h.check ?? null, null, 2),
    checks,
    confirmedAt: firstConfirmed?.step ?? (h.verdict === 'confirmed' ? 'an unrecorded check' : null),
    lastCheck: checks[checks.length - 1] ?? null,
  };
}

function toReportFix(
  fix: FixRecord,
  step: string,
  storedArtifact: StoredArtifact | undefined,
  shownArtifact: ReportArtifact | null,
  options: BuildReportOptions,
): ReportFix {
  let diff: ReportFix['diff'] = null;
  if (storedArtifact && shownArtifact) {
    // Read by the stored absolute path: the shown path may be relative to the report.
    const maxBytes = options.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES;
    const head = readTextHead(storedArtifact.path, maxBytes, options.maxDiffLines ?? DEFAULT_MAX_DIFF_LINES);
    diff = { text: head.text, truncated: head.truncated, size: storedArtifact.size, artifact: shownArtifact, error: head.error };
  }
  return { summary: fix.summary, commit: fix.commit, verified: fix.verified, at: fix.at, step, diff };
}

/** An event as the Timeline table shows it: its kind and the sentence rendered from its payload. */
function toReportEvent(event: TimelineEvent): ReportEvent {
  return { at: event.at, step: event.step, kind: eventKindShown(event), message: eventMessage(event) };
}

function toReportToolRun(run: ToolRunRecord, artifactOf: (id: number | null) => ReportArtifact | null): ReportToolRun {
  return {
    actionId: run.actionId,
    command: displayCommand(run.argv),
    exitCode: run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    durationMs: run.durationMs,
    startedAt: run.startedAt,
    outcome: describeOutcome(run),
    stdout: artifactOf(run.stdoutArtifactId),
    stderr: artifactOf(run.stderrArtifactId),
  };
}

function toReportArtifact(a: StoredArtifact, reportDir: string | undefined): ReportArtifact {
  return {
    id: a.id,
    label: a.label,
    actionId: a.actionId,
    stepRunId: a.stepRunId,
    attributes: a.attributes,
    sha256: a.sha256,
    size: a.size,
    mediaType: a.mediaType,
    path: reportDir ? relative(reportDir, a.path) : a.path,
  };
}

/** Milliseconds between two ISO times; null when either is missing or unparseable. */
function elapsedMs(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isNaN(ms) ? null : ms;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deep copy with every string redacted (JSON-shaped data only, which ReportData is). */
function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => redactStrings(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactStrings(v)])) as T;
  }
  return value;
}

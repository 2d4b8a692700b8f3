/**
 * The Collection section: for every target × gather action, whether collecting worked, why not,
 * and how many bytes were kept. Built only from what the store recorded — artifacts (their labels
 * name the target: `goroutine debug=2 from http://10.0.0.7:6060`), tool runs, `action-failed` /
 * `action-skipped` timeline events (`<action id>: <what failed>`, see engine/actions/) and
 * `collection-failure` findings (their title names the target and endpoint) — so the section also
 * shows incidents recorded before it existed.
 */
import { redactSecrets, redactUrl } from '../core/redact.js';
import type { Incident, StoredArtifact, StoredFinding, TimelineEvent, ToolRunRecord } from '../store/store.js';
import { describeOutcome, displayCommand } from './describe.js';
import type { CollectionStatus, ReportCollection, ReportCollectionRow } from './gather-report-data.js';

export interface CollectionInput {
  params: Incident['params'];
  /** Ids of the incident's gather step runs (every attempt). */
  gatherRunIds: ReadonlySet<number>;
  artifacts: readonly StoredArtifact[];
  toolRuns: readonly ToolRunRecord[];
  timeline: readonly TimelineEvent[];
  findings: readonly StoredFinding[];
}

/** A piece of evidence about one action, with the text that may name a target. */
interface Evidence {
  action: string | null;
  text: string;
  bytes: number;
  artifact: boolean;
  failure: string | null;
  skipped: string | null;
  /** Whether this is a `collection-failure` finding. */
  fromFinding: boolean;
  /** The first line of a `collection-failure` finding's detail (the error message), else null. */
  findingError: string | null;
}

/** The action id that opens an event message: `goroutines: …` (ids are `[a-z][a-z0-9-]*`, schema.ts). */
const ACTION_PREFIX = /^([a-z][a-z0-9-]*): /;

/** Builds the Collection section's data. Every text is redacted here as well as by the caller. */
export function buildCollection(input: CollectionInput): ReportCollection {
  const targets = targetsOf(input.params);
  const evidence = gatherEvidence(input);
  const actions = [...new Set(evidence.flatMap((e) => (e.action === null ? [] : [e.action])))];
  const rows: ReportCollectionRow[] = [];

  for (const action of actions) {
    const items = evidence.filter((e) => e.action === action);
    const named = items.map((e) => targets.filter((t) => namesTarget(e.text, t)));
    if (named.every((n) => n.length === 0)) {
      rows.push(toRow(null, action, items));
      continue;
    }
    for (const target of targets)
      rows.push(
        toRow(
          target,
          action,
          items.filter((_e, i) => named[i]!.includes(target)),
        ),
      );
    const unassigned = items.filter((_e, i) => named[i]!.length === 0);
    if (unassigned.length > 0) rows.push(toRow(null, action, unassigned));
  }
  // Failures that name no action (a target refusing every connection): one row per target named.
  const whole = evidence.filter((e) => e.action === null);
  for (const target of targets) {
    const items = whole.filter((e) => namesTarget(e.text, target));
    if (items.length > 0) rows.push(toRow(target, null, items));
  }
  const unnamed = whole.filter((e) => !targets.some((t) => namesTarget(e.text, t)));
  if (unnamed.length > 0) rows.push(toRow(null, null, unnamed));

  // Per target, in the order the targets were given, its whole-target failure first; then the
  // actions that do not collect per target. Array.prototype.sort is stable, so actions keep their order.
  const targetRank = (row: ReportCollectionRow) => (row.target === null ? targets.length : targets.indexOf(row.target));
  rows.sort((a, b) => targetRank(a) - targetRank(b) || Number(a.action !== null) - Number(b.action !== null));
  return {
    gathered: input.gatherRunIds.size > 0,
    targets,
    window: alertWindow(input.params),
    rows,
    failedRows: rows.filter((r) => r.status === 'failed' || r.status === 'partly failed').length,
  };
}

/** The incident's targets: `targets` (newline-separated, as the CLI stores them), else `target`. */
function targetsOf(params: Incident['params']): string[] {
  const listed = (params.targets ?? '')
    .split('\n')
    .map((t) => t.trim())
    .filter(Boolean);
  const all = listed.length > 0 ? listed : params.target ? [params.target.trim()] : [];
  return [...new Set(all.map((t) => redactUrl(t).replace(/\/+$/, '')))];
}

function alertWindow(params: Incident['params']): ReportCollection['window'] {
  const start = params['window.start'];
  const end = params['window.end'];
  if (!start || !end) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return { start, end, durationMs: Number.isNaN(ms) ? null : ms };
}

function gatherEvidence(input: CollectionInput): Evidence[] {
  const inGather = (stepRunId: number | null) => stepRunId !== null && input.gatherRunIds.has(stepRunId);
  const base = { bytes: 0, artifact: false, failure: null, skipped: null, fromFinding: false, findingError: null };
  const evidence: Evidence[] = [];
  const actionOfArtifact = new Map<number, string>();

  for (const a of [...input.artifacts].sort((x, y) => x.id - y.id)) {
    actionOfArtifact.set(a.id, a.actionId);
    if (inGather(a.stepRunId)) evidence.push({ ...base, action: a.actionId, text: redactSecrets(a.label), bytes: a.size, artifact: true });
  }
  for (const run of input.toolRuns) {
    if (!inGather(run.stepRunId)) continue;
    // A timeout or a kill is a collection failure; an exit code is not (a race test exits 1 as evidence).
    const failed = run.timedOut || run.signal !== null;
    const command = redactSecrets(displayCommand(run.argv));
    evidence.push({ ...base, action: run.actionId, text: command, failure: failed ? `${command}: ${describeOutcome(run)}` : null });
  }
  for (const event of input.timeline) {
    if (event.step !== 'gather' || (event.kind !== 'action-failed' && event.kind !== 'action-skipped')) continue;
    const message = redactSecrets(event.message);
    const match = ACTION_PREFIX.exec(message);
    const reason = match ? message.slice(match[0].length) : message;
    const skipped = event.kind === 'action-skipped' ? reason.replace(/^skipped, /, '') : null;
    evidence.push({ ...base, action: match?.[1] ?? null, text: message, failure: skipped === null ? reason : null, skipped });
  }
  for (const finding of input.findings) {
    if (finding.kind !== 'collection-failure') continue;
    const text = redactSecrets(`${finding.title}\n${finding.detail ?? ''}`);
    const action = finding.artifactIds.map((id) => actionOfArtifact.get(id)).find((a) => a !== undefined) ?? null;
    const findingError =
      redactSecrets(finding.detail ?? '')
        .split('\n')[0]!
        .trim() || null;
    evidence.push({ ...base, action, text, failure: redactSecrets(finding.title), fromFinding: true, findingError });
  }
  for (const e of evidence) if (e.action === null && e.fromFinding) e.action = pairedAction(e, evidence);
  return evidence;
}

/**
 * The action of a `collection-failure` finding that kept no artifact. The pprof action records
 * each failure twice — an `action-failed` event `<id>: <label>: <error>` and a finding whose detail
 * opens with the same error (engine/actions/pprof-action.ts) — so the event with that error gives
 * the action. Failing that, a title opening with an action id seen elsewhere, like the events do.
 */
function pairedAction(finding: Evidence, evidence: readonly Evidence[]): string | null {
  const error = finding.findingError;
  // Short messages (`EOF`) could end many events; only a distinctive one pairs.
  const event =
    error !== null && error.length >= 8
      ? evidence.find((e) => e.action !== null && !e.fromFinding && e.failure !== null && e.text.includes(error))
      : undefined;
  if (event) return event.action;
  const id = ACTION_PREFIX.exec(finding.text)?.[1];
  return id !== undefined && evidence.some((e) => e.action === id) ? id : null;
}

function toRow(target: string | null, action: string | null, items: Evidence[]): ReportCollectionRow {
  const artifacts = items.filter((e) => e.artifact);
  // A finding's title is the short why (`could not collect <endpoint>: connection refused`); when a
  // failure has one, the event saying the same at length is not repeated.
  const failing = items.some((e) => e.fromFinding) ? items.filter((e) => e.fromFinding) : items;
  const failures = [...new Set(failing.flatMap((e) => (e.failure === null ? [] : [e.failure])))];
  const skips = [...new Set(items.flatMap((e) => (e.skipped === null ? [] : [e.skipped])))];
  let status: CollectionStatus;
  if (failures.length > 0) status = artifacts.length > 0 ? 'partly failed' : 'failed';
  else if (artifacts.length > 0) status = 'ok';
  else status = skips.length > 0 ? 'skipped' : 'nothing collected';
  return {
    target,
    action,
    status,
    reasons: [...failures, ...skips],
    artifacts: artifacts.length,
    bytes: artifacts.reduce((sum, e) => sum + e.bytes, 0),
  };
}

/**
 * Whether `text` names `target`: the URL itself, or its host:port (labels written by older code,
 * and messages that print only the address). The match must end where a URL's authority would:
 * `http://10.0.0.7:6060` does not name `http://10.0.0.7:60601`.
 */
export function namesTarget(text: string, target: string): boolean {
  const authority = target
    .replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '')
    .replace(/^[^/?#]*@/, '')
    .replace(/[/?#].*$/, '');
  return [target, authority].some((needle) => needle !== '' && occursAsWhole(text, needle));
}

function occursAsWhole(text: string, needle: string): boolean {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = text[at - 1] ?? ' ';
    // A `:` after the match is fine (`http://h:6061: refused`) unless a port follows (`h:60611`).
    const after = text.slice(at + needle.length, at + needle.length + 2);
    if (!/[A-Za-z0-9.-]/.test(before) && !/^(?:[A-Za-z0-9._~@-]|:\d)/.test(after)) return true;
  }
  return false;
}

/**
 * The Store contract. The implementation lives in the other files of src/store/
 * (openStore in open.ts); everything else in gotriage talks to this interface.
 *
 * Every method returns a Promise, so a backend that talks to a server (PostgreSQL, later)
 * fits the same contract; the SQLite implementation does its work synchronously inside.
 *
 * Durability rules the engine relies on:
 *  - startStep() commits a `started` row before any tool of that step runs, so a
 *    resume knows exactly which step was interrupted.
 *  - addArtifact()/addToolRun()/addCollection() commit at once: evidence is acknowledged when
 *    they return.
 *  - commitTransition() writes the machine snapshot, the step's final status and the
 *    step's findings/hypotheses/events in ONE transaction.
 */
import type { ArtifactRef, Finding, Hypothesis, Severity, StepId, StepStatus, Verdict } from '../core/model.js';
import type {
  LeaseOutcome,
  LeaseRequest,
  NewProcessRecord,
  ProcessEndRecord,
  ProcessRecord,
  ProcessSpawnRecord,
  SessionLease,
} from './session-records.js';

export type * from './session-records.js';
import type { ArtifactAttributes } from './artifact-attributes.js';
import type { TimelineEvent } from './timeline-event.js';

export type { ArtifactAttributes } from './artifact-attributes.js';
export type { TimelineEvent, TimelinePayload } from './timeline-event.js';

export type IncidentStatus = 'active' | 'done' | 'failed';

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  service: string;
  playbookName: string;
  /** Absolute path of the playbook file used, so resume loads the same one. */
  playbookPath: string;
  /** Values that fill playbook placeholders (target URL, service dir, labels …). Redacted. */
  params: Record<string, string>;
  /** The alert as ingested (parsed JSON or { text }). Redacted. */
  alert: unknown;
  /** Current machine state value, e.g. `gather`, `done`. */
  state: string;
  status: IncidentStatus;
  createdAt: string;
  updatedAt: string;
}

export interface NewIncident {
  title: string;
  severity: Severity;
  service: string;
  playbookName: string;
  playbookPath: string;
  params: Record<string, string>;
  alert: unknown;
}

export interface StepRun {
  id: number;
  incidentId: string;
  step: StepId;
  /** 1 for the first run of a step in an incident, then 2, 3 … (back-edges, resumes). */
  attempt: number;
  status: StepStatus;
  /** Why it was skipped, or the error that failed it. */
  reason: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ToolRunRecord {
  id: number;
  stepRunId: number;
  actionId: string;
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  stdoutArtifactId: number | null;
  stderrArtifactId: number | null;
  startedAt: string;
}

export interface NewToolRun {
  stepRunId: number;
  actionId: string;
  /** Already redacted by the runner. */
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  stdoutArtifactId: number | null;
  stderrArtifactId: number | null;
  startedAt: string;
}

export interface NewArtifact {
  stepRunId: number | null;
  actionId: string;
  /** A finished file; it is moved (or copied) into the content-addressed store. */
  sourcePath: string;
  mediaType: string;
  label: string;
  /** What it is, as data (artifact-attributes.ts); `{}` when omitted. Redacted by the store. */
  attributes?: ArtifactAttributes;
  /** Known digest of sourcePath, to avoid reading it twice. */
  sha256?: string;
}

export interface StoredArtifact extends ArtifactRef {
  stepRunId: number | null;
  actionId: string;
  attributes: ArtifactAttributes;
  createdAt: string;
}

/**
 * How collecting went for one action on one target: `ok` (what was asked for arrived),
 * `failed` (something did not; what arrived is in artifactIds), `skipped` (the action did
 * not run: a missing parameter, no source), `not-served` (the endpoint does not exist on
 * that service, e.g. goroutineleak before Go 1.27).
 */
export type CollectionStatus = 'ok' | 'failed' | 'skipped' | 'not-served';

export interface NewCollection {
  stepRunId: number;
  actionId: string;
  /** recordedTarget() of the instance; null for an action that does not collect per target. */
  target: string | null;
  status: CollectionStatus;
  /** Why it failed or was skipped; a note for an `ok` one that kept nothing. Redacted by the store. */
  reason: string | null;
  /** Artifacts kept by this action on this target (ids of this incident). */
  artifactIds: number[];
  startedAt: string;
  finishedAt: string;
}

export interface CollectionRecord extends NewCollection {
  id: number;
  /** Total size of artifactIds, bytes (computed by the store from the artifacts). */
  bytes: number;
}

export interface StoredFinding extends Finding {
  id: number;
  stepRunId: number;
  createdAt: string;
}

export interface HypothesisCheck {
  stepRunId: number;
  verdict: Verdict;
  evidence: string;
  at: string;
}

export interface StoredHypothesis extends Hypothesis {
  id: number;
  /** Every time its check ran (hypothesize, then the fix re-check), oldest first. */
  checks: HypothesisCheck[];
}

export interface FixRecord {
  id: number;
  stepRunId: number;
  summary: string;
  commit: string | null;
  diffArtifactId: number | null;
  verified: boolean | null;
  at: string;
}

export interface Transition {
  incidentId: string;
  /** xstate persisted snapshot (JSON-serialisable). */
  snapshot: unknown;
  /** The state the machine is now in. */
  state: string;
  status?: IncidentStatus;
  /** The step run this transition ends, with its final status. */
  stepRun?: { id: number; status: Exclude<StepStatus, 'started'>; reason?: string | null };
  findings?: Finding[];
  /** Upserted by key; each call also appends a check to the hypothesis' history. */
  hypotheses?: Hypothesis[];
  fix?: Omit<FixRecord, 'id' | 'stepRunId' | 'at'>;
  events?: TimelineEvent[];
}

export interface Store {
  readonly dbPath: string;
  /** Directory holding content-addressed artifact files (beside the database). */
  readonly artifactDir: string;

  createIncident(input: NewIncident, snapshot: unknown, initialState: string): Promise<Incident>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Newest first. */
  listIncidents(): Promise<Incident[]>;
  latestSnapshot(incidentId: string): Promise<unknown>;

  /** Commits a `started` step run at once and a `step-started` timeline event. */
  startStep(incidentId: string, step: StepId): Promise<StepRun>;
  /** Step runs still `started` (their process died): marks them `interrupted` and returns them. */
  markInterrupted(incidentId: string): Promise<StepRun[]>;
  stepRuns(incidentId: string): Promise<StepRun[]>;

  addArtifact(incidentId: string, artifact: NewArtifact): Promise<StoredArtifact>;
  artifacts(incidentId: string): Promise<StoredArtifact[]>;
  getArtifact(id: number): Promise<StoredArtifact | undefined>;
  addToolRun(incidentId: string, run: NewToolRun): Promise<ToolRunRecord>;
  toolRuns(incidentId: string): Promise<ToolRunRecord[]>;
  /** Records how one action did on one target; committed at once. */
  addCollection(incidentId: string, collection: NewCollection): Promise<CollectionRecord>;
  /** The incident's collection records in the order they were written. */
  collections(incidentId: string): Promise<CollectionRecord[]>;

  /** Answers given at prompts, so a resume does not ask twice. Secret answers are never passed here. */
  saveAnswer(incidentId: string, key: string, value: string | boolean): Promise<void>;
  answers(incidentId: string): Promise<Record<string, string | boolean>>;

  addEvent(incidentId: string, event: TimelineEvent): Promise<void>;
  timeline(incidentId: string): Promise<TimelineEvent[]>;

  findings(incidentId: string): Promise<StoredFinding[]>;
  hypotheses(incidentId: string): Promise<StoredHypothesis[]>;
  fixes(incidentId: string): Promise<FixRecord[]>;

  /** ONE transaction: snapshot, step status, findings, hypotheses, fix, events, incident state. */
  commitTransition(transition: Transition): Promise<void>;

  /**
   * The session lease: one holder per incident. Acquiring is atomic (checking the current
   * holder, asking `isAbandoned` and taking over happen in one transaction).
   */
  acquireSessionLease(request: LeaseRequest): Promise<LeaseOutcome>;
  /** Moves the holder's heartbeat on; false when the lease is no longer its own (taken over). */
  renewSessionLease(incidentId: string, holderId: string): Promise<boolean>;
  /** Gives the lease up; does nothing when someone else holds it now. */
  releaseSessionLease(incidentId: string, holderId: string): Promise<void>;
  sessionLease(incidentId: string): Promise<SessionLease | undefined>;

  /** Process records: committed before the process is spawned, so a crash right after still leaves a trace. */
  recordProcessStart(incidentId: string, record: NewProcessRecord): Promise<ProcessRecord>;
  recordProcessSpawn(id: number, spawn: ProcessSpawnRecord): Promise<void>;
  /** Ends an open record; a record that already ended keeps its first end. */
  recordProcessEnd(id: number, end: ProcessEndRecord): Promise<void>;
  /** Oldest first; `running`: only the records not ended (leftovers, once their session died). */
  processes(incidentId: string, options?: { running?: boolean }): Promise<ProcessRecord[]>;

  /** `PRAGMA integrity_check` result: 'ok' or the problems found. */
  integrityCheck(): Promise<string>;
  close(): Promise<void>;
}

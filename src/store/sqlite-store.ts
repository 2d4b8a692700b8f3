/**
 * The Store implementation: gathers the table modules behind the contract of store.ts.
 */
import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../core/clock.js';
import { GotriageError, StoreError } from '../core/errors.js';
import type { StepId } from '../core/model.js';
import { selectAnswers, upsertAnswer } from './answers.js';
import { removeContentFile, storeContentFile } from './artifact-files.js';
import { insertCollection, selectCollections } from './collections.js';
import {
  attributesJson,
  insertArtifactRow,
  insertToolRun,
  isContentReferenced,
  selectArtifact,
  selectArtifacts,
  selectToolRuns,
} from './evidence.js';
import { selectFindings } from './findings.js';
import { selectFixes } from './fixes.js';
import { selectHypotheses } from './hypotheses.js';
import { insertIncident, requireIncident, selectIncident, selectIncidents, touchIncident } from './incidents.js';
import { insertSnapshot, selectLatestSnapshot } from './snapshots.js';
import { insertStartedStep, interruptStartedSteps, requireStepRun, selectStepRuns } from './steps.js';
import type {
  CollectionRecord,
  FixRecord,
  Incident,
  NewArtifact,
  NewCollection,
  NewIncident,
  NewToolRun,
  StepRun,
  Store,
  StoredArtifact,
  StoredFinding,
  StoredHypothesis,
  TimelineEvent,
  ToolRunRecord,
  Transition,
} from './store.js';
import { insertEvent, selectTimeline } from './timeline.js';
import { acquireLease, releaseLease, renewLease, selectLease } from './leases.js';
import { insertProcess, selectProcesses, updateProcessEnd, updateProcessSpawn } from './processes.js';
import type {
  LeaseOutcome,
  LeaseRequest,
  NewProcessRecord,
  ProcessEndRecord,
  ProcessRecord,
  ProcessSpawnRecord,
  SessionLease,
} from './session-records.js';
import { writeTransition } from './transition.js';

const INTERRUPTED_REASON = 'gotriage stopped while this step was running';

/** A Store over an open, migrated better-sqlite3 connection (see openStore). */
export class SqliteStore implements Store {
  constructor(
    private readonly db: Database.Database,
    readonly dbPath: string,
    readonly artifactDir: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async createIncident(input: NewIncident, snapshot: unknown, initialState: string): Promise<Incident> {
    return this.write('create the incident', () => {
      const now = this.now();
      const incident = insertIncident(this.db, input, initialState, now);
      insertSnapshot(this.db, incident.id, initialState, snapshot, now);
      insertEvent(this.db, incident.id, { at: now, step: null, kind: 'incident-created', title: incident.title });
      return incident;
    });
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    return selectIncident(this.db, id);
  }

  async listIncidents(): Promise<Incident[]> {
    return selectIncidents(this.db);
  }

  async latestSnapshot(incidentId: string): Promise<unknown> {
    return selectLatestSnapshot(this.db, incidentId);
  }

  async startStep(incidentId: string, step: StepId): Promise<StepRun> {
    return this.write(`start step ${step}`, () => {
      requireIncident(this.db, incidentId);
      const now = this.now();
      const run = insertStartedStep(this.db, incidentId, step, now);
      insertEvent(this.db, incidentId, { at: now, step, kind: 'step-started', attempt: run.attempt });
      touchIncident(this.db, incidentId, now);
      return run;
    });
  }

  async markInterrupted(incidentId: string): Promise<StepRun[]> {
    return this.write('mark interrupted steps', () => {
      const now = this.now();
      const runs = interruptStartedSteps(this.db, incidentId, INTERRUPTED_REASON);
      for (const run of runs) {
        insertEvent(this.db, incidentId, {
          at: now,
          step: run.step,
          kind: 'step-interrupted',
          attempt: run.attempt,
          reason: INTERRUPTED_REASON,
        });
      }
      if (runs.length > 0) touchIncident(this.db, incidentId, now);
      return runs;
    });
  }

  async stepRuns(incidentId: string): Promise<StepRun[]> {
    return selectStepRuns(this.db, incidentId);
  }

  async addArtifact(incidentId: string, artifact: NewArtifact): Promise<StoredArtifact> {
    // Checked before copying so a bad call costs no disk; the insert re-checks via foreign keys.
    requireIncident(this.db, incidentId);
    if (artifact.stepRunId !== null) requireStepRun(this.db, incidentId, artifact.stepRunId);
    const attributes = attributesJson(artifact.attributes, `artifact '${artifact.label}' of action ${artifact.actionId}`);
    // The file goes in first (fsynced, renamed into place), the row after: a row never
    // points at a missing or half-written file. Synchronous, outside any transaction.
    const content = storeContentFile(this.artifactDir, artifact.sourcePath, artifact.sha256);
    try {
      return this.write('record the artifact', () =>
        insertArtifactRow(this.db, this.artifactDir, incidentId, artifact, content, attributes, this.now()),
      );
    } catch (error) {
      if (content.created && !isContentReferenced(this.db, content.sha256)) removeContentFile(this.artifactDir, content.relPath);
      throw error;
    }
  }

  async artifacts(incidentId: string): Promise<StoredArtifact[]> {
    return selectArtifacts(this.db, this.artifactDir, incidentId);
  }

  async getArtifact(id: number): Promise<StoredArtifact | undefined> {
    return selectArtifact(this.db, this.artifactDir, id);
  }

  async addToolRun(incidentId: string, run: NewToolRun): Promise<ToolRunRecord> {
    return this.write('record the tool run', () => {
      requireStepRun(this.db, incidentId, run.stepRunId);
      return insertToolRun(this.db, incidentId, run);
    });
  }

  async toolRuns(incidentId: string): Promise<ToolRunRecord[]> {
    return selectToolRuns(this.db, incidentId);
  }

  async addCollection(incidentId: string, collection: NewCollection): Promise<CollectionRecord> {
    return this.write('record the collection', () => {
      requireStepRun(this.db, incidentId, collection.stepRunId);
      return insertCollection(this.db, incidentId, collection);
    });
  }

  async collections(incidentId: string): Promise<CollectionRecord[]> {
    return selectCollections(this.db, incidentId);
  }

  async saveAnswer(incidentId: string, key: string, value: string | boolean): Promise<void> {
    this.write('save the answer', () => upsertAnswer(this.db, incidentId, key, value, this.now()));
  }

  async answers(incidentId: string): Promise<Record<string, string | boolean>> {
    return selectAnswers(this.db, incidentId);
  }

  async addEvent(incidentId: string, event: TimelineEvent): Promise<void> {
    this.write('add the event', () => insertEvent(this.db, incidentId, event));
  }

  async timeline(incidentId: string): Promise<TimelineEvent[]> {
    return selectTimeline(this.db, incidentId);
  }

  async findings(incidentId: string): Promise<StoredFinding[]> {
    return selectFindings(this.db, incidentId);
  }

  async hypotheses(incidentId: string): Promise<StoredHypothesis[]> {
    return selectHypotheses(this.db, incidentId);
  }

  async fixes(incidentId: string): Promise<FixRecord[]> {
    return selectFixes(this.db, incidentId);
  }

  async commitTransition(transition: Transition): Promise<void> {
    this.write(`save the transition to ${transition.state}`, () => writeTransition(this.db, transition, this.now()));
  }

  async acquireSessionLease(request: LeaseRequest): Promise<LeaseOutcome> {
    return this.write('take the session lease', () => {
      requireIncident(this.db, request.incidentId);
      return acquireLease(this.db, request, this.now());
    });
  }

  async renewSessionLease(incidentId: string, holderId: string): Promise<boolean> {
    return this.write('renew the session lease', () => renewLease(this.db, incidentId, holderId, this.now()));
  }

  async releaseSessionLease(incidentId: string, holderId: string): Promise<void> {
    this.write('release the session lease', () => releaseLease(this.db, incidentId, holderId));
  }

  async sessionLease(incidentId: string): Promise<SessionLease | undefined> {
    return selectLease(this.db, incidentId);
  }

  async recordProcessStart(incidentId: string, record: NewProcessRecord): Promise<ProcessRecord> {
    return this.write('record the process start', () => {
      requireIncident(this.db, incidentId);
      if (record.stepRunId !== null) requireStepRun(this.db, incidentId, record.stepRunId);
      return insertProcess(this.db, incidentId, record, this.now());
    });
  }

  async recordProcessSpawn(id: number, spawn: ProcessSpawnRecord): Promise<void> {
    this.write('record the process id', () => updateProcessSpawn(this.db, id, spawn));
  }

  async recordProcessEnd(id: number, end: ProcessEndRecord): Promise<void> {
    this.write('record the process end', () => updateProcessEnd(this.db, id, end, this.now()));
  }

  async processes(incidentId: string, options: { running?: boolean } = {}): Promise<ProcessRecord[]> {
    return selectProcesses(this.db, incidentId, options);
  }

  async integrityCheck(): Promise<string> {
    const rows = this.db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((row) => row.integrity_check).join('\n');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * Runs a write in one IMMEDIATE transaction (nested transactions become savepoints)
   * and turns SQLite errors (constraint violations, a full disk, a lock held too long)
   * into a StoreError that says what was being saved.
   */
  private write<T>(what: string, fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      if (error instanceof GotriageError) throw error;
      const code = (error as { code?: string }).code ?? '';
      const hint = code.startsWith('SQLITE_FULL')
        ? `The disk holding ${this.dbPath} is full: free space, then resume.`
        : code.startsWith('SQLITE_BUSY')
          ? 'Another gotriage holds the database; wait for it or use another --db.'
          : undefined;
      throw new StoreError(`could not ${what} in ${this.dbPath}: ${(error as Error).message}`, hint);
    }
  }
}

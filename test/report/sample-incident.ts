/**
 * Test helpers for the report: an in-memory object implementing the Store read methods the
 * report uses, and a realistic incident (a chan-send goroutine leak in main.renderExport, a data
 * race in main.(*stats).recordHit, a CPU hotspot in main.slowChecksum) whose tool output is the
 * real Go output captured in fixtures/. `extra` is appended to every free-text field so the
 * hostile-input tests can compare a clean render with a poisoned one field for field.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportStore } from '../../src/report/data.ts';
import { recordedTarget } from '../../src/store/artifact-attributes.ts';
import type {
  CollectionRecord,
  FixRecord,
  Incident,
  StepRun,
  StoredArtifact,
  StoredFinding,
  StoredHypothesis,
  TimelineEvent,
  ToolRunRecord,
} from '../../src/store/store.ts';

export interface IncidentRecords {
  incident: Incident;
  stepRuns: StepRun[];
  artifacts: StoredArtifact[];
  toolRuns: ToolRunRecord[];
  collections: CollectionRecord[];
  timeline: TimelineEvent[];
  findings: StoredFinding[];
  hypotheses: StoredHypothesis[];
  fixes: FixRecord[];
}

/** The read side of a Store over fixed records. */
export function createMemoryReportStore(...incidents: IncidentRecords[]): ReportStore {
  const byId = (id: string) => incidents.find((r) => r.incident.id === id);
  return {
    getIncident: async (id) => byId(id)?.incident,
    stepRuns: async (id) => byId(id)?.stepRuns ?? [],
    artifacts: async (id) => byId(id)?.artifacts ?? [],
    toolRuns: async (id) => byId(id)?.toolRuns ?? [],
    collections: async (id) => byId(id)?.collections ?? [],
    timeline: async (id) => byId(id)?.timeline ?? [],
    findings: async (id) => byId(id)?.findings ?? [],
    hypotheses: async (id) => byId(id)?.hypotheses ?? [],
    fixes: async (id) => byId(id)?.fixes ?? [],
  };
}

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

export type GoVersion = '1.26.8' | '1.23.5';

export interface SampleOptions {
  /** Directory where the artifact files are written (the content-addressed store stand-in). */
  artifactDir: string;
  /** Which captured Go output to use. Default 1.26.8. */
  goVersion?: GoVersion;
  /** Appended to every free-text field. */
  extra?: string;
}

/** Minutes after the alert fired (2026-11-26 15:00:00 UTC), as ISO. */
export function at(minutes: number, seconds = 0): string {
  return new Date(Date.UTC(2026, 10, 26, 15, minutes, seconds)).toISOString();
}

export const INCIDENT_ID = 'inc-20261126-150000-exp';
export const FIX_COMMIT = '9d7e6f4c1a2b3c4d5e6f708192a3b4c5d6e7f809';

/** The captured race report and goroutine dump, exactly as Go printed them. */
export function capturedOutput(goVersion: GoVersion): { race: string; goroutines: string; diff: string } {
  return {
    race: readFileSync(join(FIXTURES, `race-go${goVersion}.txt`), 'utf8'),
    goroutines: readFileSync(join(FIXTURES, `goroutines-debug2-go${goVersion}.txt`), 'utf8'),
    diff: readFileSync(join(FIXTURES, 'fix-git-diff.txt'), 'utf8'),
  };
}

/** A finished incident: alert → gather → analyze → hypothesize → fix (verified) → postmortem running. */
export function sampleIncident(options: SampleOptions): IncidentRecords {
  const x = options.extra ?? '';
  const out = capturedOutput(options.goVersion ?? '1.26.8');
  let nextArtifact = 1;
  const artifacts: StoredArtifact[] = [];
  const artifact = (stepRunId: number | null, actionId: string, label: string, mediaType: string, content: string) => {
    const id = nextArtifact++;
    const path = join(options.artifactDir, `${id}.bin`);
    writeFileSync(path, content);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const stored: StoredArtifact = {
      id,
      stepRunId,
      actionId,
      label,
      mediaType,
      path,
      sha256,
      size: Buffer.byteLength(content),
      attributes: {},
      createdAt: at(5),
    };
    artifacts.push(stored);
    return stored;
  };

  const run = (
    id: number,
    step: StepRun['step'],
    status: StepRun['status'],
    start: string,
    end: string | null,
    reason: string | null = null,
  ): StepRun => ({ id, incidentId: INCIDENT_ID, step, attempt: 1, status, reason, startedAt: start, finishedAt: end });
  const stepRuns: StepRun[] = [
    run(1, 'alert', 'finished', at(2), at(3)),
    run(2, 'gather', 'finished', at(3), at(8)),
    run(3, 'analyze', 'finished', at(8), at(12)),
    run(4, 'hypothesize', 'finished', at(12), at(20)),
    run(5, 'fix', 'finished', at(20), at(42, 30)),
    run(6, 'postmortem', 'started', at(43), null),
  ];

  artifact(null, 'alert', `alert from alertmanager${x}`, 'application/json', '{"status":"firing"}\n');
  const goroutineDump = artifact(
    2,
    'goroutines',
    `goroutine debug=2 from 127.0.0.1:6060 (sample 2)${x}`,
    'text/x-go-goroutines; debug=2',
    out.goroutines + x,
  );
  const raceOut = artifact(3, 'race-test', `go run -race stderr${x}`, 'text/x-go-race', out.race + x);
  const diff = artifact(5, 'fix-diff', `git diff${x}`, 'text/x-diff', out.diff + x);

  const toolRuns: ToolRunRecord[] = [
    {
      id: 1,
      stepRunId: 3,
      actionId: 'race-test',
      argv: ['go', 'run', '-race', `.${x}`],
      exitCode: 1,
      signal: null,
      timedOut: false,
      durationMs: 4210,
      stdoutArtifactId: null,
      stderrArtifactId: raceOut.id,
      startedAt: at(9),
    },
    {
      id: 2,
      stepRunId: 2,
      actionId: 'cpu-profile',
      argv: ['go', 'tool', 'pprof', '-top', `http://127.0.0.1:6060/debug/pprof/profile?seconds=5${x}`],
      exitCode: null,
      signal: 'SIGKILL',
      timedOut: true,
      durationMs: 30_000,
      stdoutArtifactId: null,
      stderrArtifactId: null,
      startedAt: at(4),
    },
  ];

  const raceDetail = out.race.split('\n').slice(1, 12).join('\n') + x;
  const findings: StoredFinding[] = [
    {
      id: 1,
      stepRunId: 3,
      createdAt: at(11),
      kind: 'cpu-hotspot',
      severity: 'medium',
      title: `CPU hotspot: main.slowChecksum uses 63.2% of CPU samples (flat)${x}`,
      location: { func: 'main.slowChecksum', file: `/srv/exporter/main.go${x}`, line: 88 },
      metrics: { flatPct: 63.2, cumPct: 71.45, flatNs: 3_160_000_000, totalNs: 5_000_000_000 },
      detail: `Top functions (flat, cum):\n 63.20%  71.45%  main.slowChecksum\n  8.25%   8.25%  crypto/sha256.block${x}`,
      artifactIds: [],
    },
    {
      id: 2,
      stepRunId: 3,
      createdAt: at(11),
      kind: 'goroutine-growth',
      severity: 'high',
      title: `goroutines parked in main.renderExport (chan send) grew 3 → 240${x}`,
      location: { func: 'main.renderExport', file: `/work/main/test/report/fixtures/go/leaky-racy/main.go${x}`, line: 27 },
      metrics: { first: 3, last: 240, growth: 237, samples: 2, maxWaitMinutes: 4 },
      detail: out.goroutines.split('\n\n')[1]! + x,
      artifactIds: [goroutineDump.id],
    },
    {
      id: 3,
      stepRunId: 3,
      createdAt: at(11),
      kind: 'data-race',
      severity: 'high',
      title: `data race: read in main.(*stats).recordHit (main.go:21) vs write in main.(*stats).recordHit (main.go:21)${x}`,
      location: { func: 'main.(*stats).recordHit', file: `/work/main/test/report/fixtures/go/leaky-racy/main.go${x}`, line: 21 },
      metrics: { reports: 1 },
      detail: raceDetail,
      artifactIds: [raceOut.id],
    },
    {
      id: 4,
      stepRunId: 3,
      createdAt: at(11),
      kind: 'goroutine-group',
      severity: 'info',
      title: `64 goroutines parked in net/http.(*conn).serve (IO wait)${x}`,
      metrics: { count: 64, sharePct: 21.2, maxWaitMinutes: 0 },
      artifactIds: [goroutineDump.id],
    },
  ];

  const check = (stepRunId: number, verdict: StoredHypothesis['verdict'], evidence: string, time: string) => ({
    stepRunId,
    verdict,
    evidence: evidence + x,
    at: time,
  });
  const hypotheses: StoredHypothesis[] = [
    {
      id: 1,
      key: `goroutine-leak:main.renderExport${x}`,
      statement: `main.renderExport leaks goroutines blocked on a channel send${x}`,
      check: { kind: 'goroutine-growth', func: '^main\\.renderExport$', metrics: { growth: 10 }, min: 1 },
      verdict: 'refuted',
      evidence: `after the fix: no goroutine-growth finding matched${x}`,
      checks: [
        check(4, 'confirmed', '1 goroutine-growth finding matched: growth 237 ≥ 10', at(15)),
        check(5, 'refuted', 'after the fix: no goroutine-growth finding matched', at(42)),
      ],
    },
    {
      id: 2,
      key: `race:main.(*stats).recordHit${x}`,
      statement: `main.(*stats).recordHit is called concurrently without a lock${x}`,
      check: { kind: 'data-race', func: '^main\\.\\(\\*stats\\)\\.recordHit$', min: 1 },
      verdict: 'refuted',
      evidence: `after the fix: no data-race finding matched${x}`,
      checks: [
        check(4, 'confirmed', '1 data-race finding matched', at(16)),
        check(5, 'refuted', 'after the fix: no data-race finding matched', at(42)),
      ],
    },
    {
      id: 3,
      key: `cpu:main.slowChecksum${x}`,
      statement: `main.slowChecksum saturates the CPU${x}`,
      check: { kind: 'cpu-hotspot', func: '^main\\.slowChecksum$', metrics: { flatPct: 80 }, min: 1 },
      verdict: 'refuted',
      evidence: `0 cpu-hotspot findings matched: flatPct 63.2 < 80${x}`,
      checks: [check(4, 'refuted', '0 cpu-hotspot findings matched: flatPct 63.2 < 80', at(17))],
    },
  ];

  const fixes: FixRecord[] = [
    {
      id: 1,
      stepRunId: 5,
      summary: `Lock stats.recordHit and buffer the export channel${x}`,
      commit: FIX_COMMIT,
      diffArtifactId: diff.id,
      verified: true,
      at: at(42, 30),
    },
  ];

  const timeline: TimelineEvent[] = [
    { at: at(2), step: 'alert', kind: 'step-started', attempt: 1 },
    { at: at(4, 30), step: 'gather', kind: 'action-failed', action: 'cpu-profile', reason: `timed out after 30 s${x}` },
    { at: at(3), step: 'gather', kind: 'step-started', attempt: 1 },
    { at: at(42, 30), step: 'fix', kind: 'note', text: `fix verified: no confirmed hypothesis holds on fresh evidence${x}` },
  ];
  // As the cpu-profile action records its timed-out run: one collection record, nothing kept.
  const collections: CollectionRecord[] = [
    {
      id: 1,
      stepRunId: 2,
      actionId: 'cpu-profile',
      target: recordedTarget(`http://127.0.0.1:6060${x}`),
      status: 'failed',
      reason: `go tool pprof -top http://127.0.0.1:6060/debug/pprof/profile?seconds=5 timed out (SIGKILL)${x}`,
      artifactIds: [],
      bytes: 0,
      startedAt: at(4),
      finishedAt: at(4, 30),
    },
  ];

  const incident: Incident = {
    id: INCIDENT_ID,
    title: `Export endpoint latency and memory climbing${x}`,
    severity: 'high',
    service: `exporter${x}`,
    playbookName: 'go-leak',
    playbookPath: '/etc/gotriage/go-leak.yaml',
    params: { target: `http://127.0.0.1:6060${x}`, serviceDir: `/srv/exporter${x}` },
    alert: { startsAt: at(0), text: `ExportLatencyHigh: p99 > 2s on exporter${x}` },
    state: 'postmortem',
    status: 'active',
    createdAt: at(2),
    updatedAt: at(43),
  };

  return { incident, stepRuns, artifacts, toolRuns, collections, timeline, findings, hypotheses, fixes };
}

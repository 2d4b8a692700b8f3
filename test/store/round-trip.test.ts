import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding, Hypothesis } from '../../src/core/model.ts';
import { MediaType } from '../../src/core/model.ts';
import { openTestStore, reopenStore, sampleIncident, writeSourceFile } from './store-helpers.ts';

// Every method's data must come back the same after the process that wrote it is gone:
// each test writes, closes, reopens the file and reads.

describe('incidents and snapshots survive a reopen', () => {
  it('returns the incident as created, lists newest first and keeps every snapshot', async () => {
    let store = openTestStore();
    const first = await store.createIncident(sampleIncident(), { value: 'alert', n: 1 }, 'alert');
    const second = await store.createIncident(sampleIncident({ title: 'goroutine leak', severity: 'critical' }), { n: 1 }, 'alert');
    await store.commitTransition({ incidentId: first.id, snapshot: { value: 'gather', n: 2 }, state: 'gather' });

    store = await reopenStore(store);
    expect(first.id).toMatch(/^inc-[0-9a-f]{8}$/);
    expect(second.id).not.toBe(first.id);
    const again = (await store.getIncident(first.id))!;
    expect(again).toMatchObject({ ...sampleIncident(), state: 'gather', status: 'active', createdAt: first.createdAt });
    expect(Date.parse(again.updatedAt)).toBeGreaterThanOrEqual(Date.parse(again.createdAt));
    expect(again.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await store.listIncidents()).map((i) => i.id)).toEqual([second.id, first.id]);
    expect(await store.latestSnapshot(first.id)).toEqual({ value: 'gather', n: 2 });
    expect(await store.latestSnapshot(second.id)).toEqual({ n: 1 });
    expect(await store.getIncident('inc-00000000')).toBeUndefined();
    expect(await store.latestSnapshot('inc-00000000')).toBeUndefined();
  });
});

describe('evidence survives a reopen', () => {
  it('keeps step runs, artifacts, tool runs, answers and the timeline', async () => {
    let store = openTestStore();
    const incident = await store.createIncident(sampleIncident(), {}, 'alert');
    const gather = await store.startStep(incident.id, 'gather');
    const stdout = await store.addArtifact(incident.id, {
      stepRunId: gather.id,
      actionId: 'goroutines',
      sourcePath: writeSourceFile('goroutine 1 [running]:\nmain.main()\n'),
      mediaType: MediaType.goroutines('2'),
      label: 'goroutine debug=2 from 127.0.0.1:6060 (sample 1)',
    });
    const run = await store.addToolRun(incident.id, {
      stepRunId: gather.id,
      actionId: 'race',
      argv: ['go', 'test', '-race', '-run', 'TestCheckout', './...'],
      exitCode: null,
      signal: 'SIGKILL',
      timedOut: true,
      durationMs: 30_000,
      stdoutArtifactId: stdout.id,
      stderrArtifactId: null,
      startedAt: '2025-01-01T10:05:00.000Z',
    });
    await store.saveAnswer(incident.id, 'alert.owner', 'alice');
    await store.saveAnswer(incident.id, 'fix.deploy', true);
    await store.saveAnswer(incident.id, 'alert.owner', 'bob'); // a later answer replaces the earlier one
    await store.addEvent(incident.id, { at: '2025-01-01T10:06:00.000Z', step: 'gather', kind: 'note', text: 'pager acknowledged' });

    store = await reopenStore(store);
    expect(await store.stepRuns(incident.id)).toEqual([gather]);
    expect(await store.artifacts(incident.id)).toEqual([stdout]);
    expect(await store.getArtifact(stdout.id)).toEqual(stdout);
    expect(readFileSync(stdout.path, 'utf8')).toBe('goroutine 1 [running]:\nmain.main()\n');
    expect(await store.toolRuns(incident.id)).toEqual([run]);
    expect(run).toMatchObject({ argv: ['go', 'test', '-race', '-run', 'TestCheckout', './...'], timedOut: true, signal: 'SIGKILL' });
    expect(await store.answers(incident.id)).toEqual({ 'alert.owner': 'bob', 'fix.deploy': true });
    // By time: the note was dated before the session started, so it comes first.
    expect((await store.timeline(incident.id)).map((e) => `${e.kind}:${e.step ?? '-'}`)).toEqual([
      'note:gather',
      'incident-created:-',
      'step-started:gather',
    ]);
    expect((await store.timeline(incident.id)).find((e) => e.kind === 'note')).toEqual({
      at: '2025-01-01T10:06:00.000Z',
      step: 'gather',
      kind: 'note',
      text: 'pager acknowledged',
    });
  });

  it('keeps findings, hypotheses with their check history, and fixes from transitions', async () => {
    let store = openTestStore();
    const incident = await store.createIncident(sampleIncident(), {}, 'alert');
    const analyze = await store.startStep(incident.id, 'analyze');
    const dump = await store.addArtifact(incident.id, {
      stepRunId: analyze.id,
      actionId: 'dump',
      sourcePath: writeSourceFile('dump'),
      mediaType: MediaType.text,
      label: 'dump',
    });
    const finding: Finding = {
      kind: 'goroutine-group',
      title: '120 goroutines blocked in chan receive',
      severity: 'high',
      location: { func: 'main.worker', file: '/src/checkout/worker.go', line: 42 },
      metrics: { count: 120, growth: 100.5 },
      detail: 'main.worker(...)\n\t/src/checkout/worker.go:42',
      artifactIds: [dump.id],
    };
    const bare: Finding = { kind: 'tool-failure', title: 'dlv missing', severity: 'info', metrics: {}, artifactIds: [] };
    await store.commitTransition({
      incidentId: incident.id,
      snapshot: { s: 'hyp' },
      state: 'hypothesize',
      stepRun: { id: analyze.id, status: 'finished' },
      findings: [finding, bare],
    });

    const hypothesize = await store.startStep(incident.id, 'hypothesize');
    const leak: Hypothesis = {
      key: 'leak:main.worker',
      statement: 'workers leak',
      check: { finding: 'goroutine-group', min: 100 },
      verdict: 'confirmed',
      evidence: 'count 120 ≥ 100',
    };
    await store.commitTransition({
      incidentId: incident.id,
      snapshot: { s: 'fix' },
      state: 'fix',
      stepRun: { id: hypothesize.id, status: 'finished' },
      hypotheses: [leak],
    });

    const fix = await store.startStep(incident.id, 'fix');
    await store.commitTransition({
      incidentId: incident.id,
      snapshot: { s: 'pm' },
      state: 'postmortem',
      stepRun: { id: fix.id, status: 'finished' },
      hypotheses: [{ ...leak, verdict: 'refuted', evidence: 'count 3 < 100 after the fix' }],
      fix: { summary: 'close the results channel', commit: 'abc1234', diffArtifactId: dump.id, verified: true },
    });

    store = await reopenStore(store);
    const findings = await store.findings(incident.id);
    expect(findings.map(({ id, createdAt, ...rest }) => rest)).toEqual([
      { ...finding, stepRunId: analyze.id },
      { ...bare, stepRunId: analyze.id },
    ]);
    const [stored] = await store.hypotheses(incident.id);
    expect(await store.hypotheses(incident.id)).toHaveLength(1); // upserted by key, not duplicated
    expect(stored).toMatchObject({ key: leak.key, statement: 'workers leak', check: leak.check, verdict: 'refuted' });
    expect(stored!.checks.map((c) => [c.stepRunId, c.verdict, c.evidence])).toEqual([
      [hypothesize.id, 'confirmed', 'count 120 ≥ 100'],
      [fix.id, 'refuted', 'count 3 < 100 after the fix'],
    ]);
    expect(await store.fixes(incident.id)).toEqual([
      expect.objectContaining({
        stepRunId: fix.id,
        summary: 'close the results channel',
        commit: 'abc1234',
        diffArtifactId: dump.id,
        verified: true,
      }),
    ]);
    expect((await store.getIncident(incident.id))?.state).toBe('postmortem');
    expect((await store.stepRuns(incident.id)).map((r) => [r.step, r.status])).toEqual([
      ['analyze', 'finished'],
      ['hypothesize', 'finished'],
      ['fix', 'finished'],
    ]);
    expect(await store.integrityCheck()).toBe('ok');
  });
});

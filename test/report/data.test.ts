import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReportData } from '../../src/report/data.ts';
import { UsageError } from '../../src/core/errors.ts';
import { at, capturedOutput, createMemoryReportStore, FIX_COMMIT, INCIDENT_ID, sampleIncident } from './sample-incident.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-report-data-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('buildReportData', () => {
  it('orders findings most severe first, then by kind', async () => {
    const data = await buildReportData(createMemoryReportStore(sampleIncident({ artifactDir: dir })), INCIDENT_ID);
    expect(data.findings.map((f) => [f.number, f.severity, f.kind])).toEqual([
      [1, 'high', 'data-race'],
      [2, 'high', 'goroutine-growth'],
      [3, 'medium', 'cpu-hotspot'],
      [4, 'info', 'goroutine-group'],
    ]);
    expect(data.findings[0]!.location).toBe('main.(*stats).recordHit (/work/main/test/report/fixtures/go/leaky-racy/main.go:21)');
    expect(data.findings[3]!.location).toBeNull();
    expect(data.summary.findingsBySeverity).toEqual([
      { severity: 'high', count: 2 },
      { severity: 'medium', count: 1 },
      { severity: 'info', count: 1 },
    ]);
  });

  it('keeps as root cause the hypotheses a check confirmed, even after the fix re-check refuted them', async () => {
    const data = await buildReportData(createMemoryReportStore(sampleIncident({ artifactDir: dir })), INCIDENT_ID);
    expect(data.summary.rootCauses.map((h) => [h.statement, h.confirmedAt, h.lastCheck?.verdict, h.lastCheck?.step])).toEqual([
      ['main.renderExport leaks goroutines blocked on a channel send', 'hypothesize #1', 'refuted', 'fix #1'],
      ['main.(*stats).recordHit is called concurrently without a lock', 'hypothesize #1', 'refuted', 'fix #1'],
    ]);
    expect(data.summary.counts).toMatchObject({ hypotheses: 3, confirmed: 2, ruledOut: 1 });
    expect(data.hypotheses[0]!.checks.map((c) => `${c.step}: ${c.verdict}`)).toEqual(['hypothesize #1: confirmed', 'fix #1: refuted']);
  });

  it('measures time to resolve from when the alert fired to when the fix was verified', async () => {
    const records = sampleIncident({ artifactDir: dir });
    const data = await buildReportData(createMemoryReportStore(records), INCIDENT_ID);
    expect(data.summary).toMatchObject({
      startedAt: at(0),
      resolvedAt: at(42, 30),
      resolved: true,
      timeToResolveMs: (42 * 60 + 30) * 1000,
    });

    records.fixes[0]!.verified = false;
    const unresolved = await buildReportData(createMemoryReportStore(records), INCIDENT_ID);
    expect(unresolved.summary).toMatchObject({ resolved: false, resolvedAt: null, timeToResolveMs: null });
  });

  it('groups tool runs and artifacts under the step run that produced them, with paths relative to the report', async () => {
    const data = await buildReportData(createMemoryReportStore(sampleIncident({ artifactDir: dir })), INCIDENT_ID, {
      reportDir: join(dir, 'out'),
    });
    const analyze = data.steps.find((s) => s.step === 'analyze')!;
    expect(analyze.toolRuns.map((t) => [t.command, t.outcome])).toEqual([['go run -race .', 'exit 1']]);
    expect(analyze.toolRuns[0]!.stderr?.path).toBe(join('..', '3.bin'));
    expect(analyze.findingCount).toBe(4);
    const gather = data.steps.find((s) => s.step === 'gather')!;
    expect(gather.toolRuns[0]!.outcome).toBe('timed out (SIGKILL)');
    expect(data.otherArtifacts.map((a) => a.actionId)).toEqual(['alert']);
    expect(data.steps.find((s) => s.step === 'postmortem')).toMatchObject({ status: 'started', finishedAt: null, durationMs: null });
  });

  it('reads the fix diff from its artifact exactly, and cuts a long one at a line boundary', async () => {
    const records = sampleIncident({ artifactDir: dir });
    const full = await buildReportData(createMemoryReportStore(records), INCIDENT_ID);
    expect(full.fixes[0]).toMatchObject({ commit: FIX_COMMIT, verified: true, step: 'fix #1' });
    expect(full.fixes[0]!.diff).toMatchObject({ text: capturedOutput('1.26.8').diff, truncated: false, error: null });

    const short = await buildReportData(createMemoryReportStore(records), INCIDENT_ID, { maxDiffBytes: 70 });
    expect(short.fixes[0]!.diff!.truncated).toBe(true);
    expect(short.fixes[0]!.diff!.text).toBe('diff --git a/main.go b/main.go\nindex e7faa67..9d7e6f4 100644\n');
    const fewLines = await buildReportData(createMemoryReportStore(records), INCIDENT_ID, { maxDiffLines: 3 });
    expect(fewLines.fixes[0]!.diff!.text.split('\n')).toHaveLength(4);
  });

  it('keeps one endless line when cutting, minus a split multi-byte character', async () => {
    const records = sampleIncident({ artifactDir: dir });
    writeFileSync(records.artifacts.find((a) => a.actionId === 'fix-diff')!.path, 'é'.repeat(100));
    const data = await buildReportData(createMemoryReportStore(records), INCIDENT_ID, { maxDiffBytes: 11 });
    expect(data.fixes[0]!.diff).toMatchObject({ text: 'é'.repeat(5), truncated: true });
  });

  it('says the diff is gone instead of failing when its file was removed', async () => {
    const records = sampleIncident({ artifactDir: dir });
    rmSync(records.artifacts.find((a) => a.actionId === 'fix-diff')!.path);
    const data = await buildReportData(createMemoryReportStore(records), INCIDENT_ID);
    expect(data.fixes[0]!.diff).toMatchObject({ text: '', error: 'ENOENT' });
  });

  it('shows a skipped step with its reason and an interrupted one as interrupted', async () => {
    const records = sampleIncident({ artifactDir: dir });
    records.stepRuns[3] = { ...records.stepRuns[3]!, status: 'skipped', reason: 'no hypotheses in this playbook' };
    records.stepRuns.push({
      id: 7,
      incidentId: INCIDENT_ID,
      step: 'gather',
      attempt: 2,
      status: 'interrupted',
      reason: null,
      startedAt: at(2, 30),
      finishedAt: null,
    });
    const data = await buildReportData(createMemoryReportStore(records), INCIDENT_ID);
    expect(data.steps.map((s) => `${s.step} #${s.attempt} ${s.status}`)).toEqual([
      'alert #1 finished',
      'gather #2 interrupted',
      'gather #1 finished',
      'analyze #1 finished',
      'hypothesize #1 skipped',
      'fix #1 finished',
      'postmortem #1 started',
    ]);
    expect(data.steps[4]!.reason).toBe('no hypotheses in this playbook');
  });

  it('redacts credentials and tokens that reached any field', async () => {
    const records = sampleIncident({ artifactDir: dir });
    const url = 'http://admin:hunter2@10.0.0.7:6060/debug/pprof/profile?seconds=5&token=s3cr3t';
    records.toolRuns[1]!.argv = ['go', 'tool', 'pprof', '-top', url];
    records.timeline.push({ at: at(5), step: 'gather', kind: 'warning', action: 'cpu', target: url, text: `fetched ${url}` });
    records.incident.params.target = url;
    records.findings[0]!.detail = `GET ${url} failed\nAuthorization: Bearer abcdef123456`;
    const json = JSON.stringify(await buildReportData(createMemoryReportStore(records), INCIDENT_ID));
    expect(json).not.toMatch(/hunter2|s3cr3t|abcdef123456/);
    expect(json).toContain('10.0.0.7:6060/debug/pprof/profile?seconds=5');
  });

  it('is plain data: a JSON round trip gives the same object', async () => {
    const data = await buildReportData(createMemoryReportStore(sampleIncident({ artifactDir: dir })), INCIDENT_ID);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });

  it('refuses an unknown incident with a usage error that says how to list them', async () => {
    const store = createMemoryReportStore(sampleIncident({ artifactDir: dir }));
    await expect(buildReportData(store, 'inc-nope')).rejects.toThrowError(UsageError);
    await expect(buildReportData(store, 'inc-nope')).rejects.toThrowError(/no incident with id inc-nope/);
  });
});

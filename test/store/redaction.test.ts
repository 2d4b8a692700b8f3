import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openTestStore, reopenStore, sampleIncident, writeSourceFile } from './store-helpers.ts';

// The store is the last line before disk: whatever a caller forgets to redact, the
// bytes of the database file must not hold a credential.
const SECRETS = ['hunter2', 's3cr3t-token', 'eyJhbGciOiJIUzI1NiJ9payload', 'ghp_abcdef123456', 'rawtoken42'];

describe('secrets never reach the database file', () => {
  it('masks URL userinfo, token parameters, Authorization headers and secret-named keys in every column', async () => {
    let store = openTestStore();
    const target = 'http://admin:hunter2@10.0.0.7:6060/debug/pprof?token=s3cr3t-token';
    const incident = await store.createIncident(
      sampleIncident({
        title: `pprof at ${target} is slow`,
        params: { target },
        alert: { annotations: { runbook: target, auth: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9payload', token: 'rawtoken42' } },
      }),
      { context: { target } },
      'alert',
    );
    const step = await store.startStep(incident.id, 'gather');
    const artifact = await store.addArtifact(incident.id, {
      stepRunId: step.id,
      actionId: 'heap',
      sourcePath: writeSourceFile('heap'),
      mediaType: 'text/plain',
      label: `heap from ${target}`,
    });
    await store.addToolRun(incident.id, {
      stepRunId: step.id,
      actionId: 'curl',
      argv: ['curl', '-H', 'Authorization: token ghp_abcdef123456', '--password', 'hunter2', target],
      exitCode: 0,
      signal: null,
      timedOut: false,
      durationMs: 5,
      stdoutArtifactId: artifact.id,
      stderrArtifactId: null,
      startedAt: new Date().toISOString(),
    });
    await store.addEvent(incident.id, { at: new Date().toISOString(), step: 'gather', kind: 'note', text: `fetched ${target}` });
    await store.saveAnswer(incident.id, 'gather.url', target);
    await store.commitTransition({
      incidentId: incident.id,
      snapshot: { context: { target } },
      state: 'analyze',
      stepRun: { id: step.id, status: 'failed', reason: `GET ${target}: 401` },
      findings: [
        { kind: 'tool-failure', title: `GET ${target} failed`, severity: 'info', metrics: {}, detail: target, artifactIds: [artifact.id] },
      ],
    });

    // What is kept is still useful: the host and path survive, only the secret is masked.
    expect((await store.getIncident(incident.id))?.params.target).toBe('http://***@10.0.0.7:6060/debug/pprof?token=***');
    expect((await store.toolRuns(incident.id))[0]?.argv).toEqual([
      'curl',
      '-H',
      'Authorization: ***',
      '--password',
      '***',
      'http://***@10.0.0.7:6060/debug/pprof?token=***',
    ]);

    store = await reopenStore(store);
    await store.close(); // checkpoints the WAL into the main file
    const files = [store.dbPath, `${store.dbPath}-wal`].filter((f) => existsSync(f));
    for (const file of files) {
      const bytes = readFileSync(file).toString('latin1');
      for (const secret of SECRETS) expect(bytes, `${secret} in ${file}`).not.toContain(secret);
      expect(bytes).toContain('10.0.0.7:6060'); // the scan reads real data, not an empty file
    }
  });
});

/**
 * The facts of evidence as data: artifact attributes, collection records and typed timeline
 * events come back as written after a reopen, redacted, and a malformed one is refused before
 * anything reaches the disk.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.ts';
import { MediaType } from '../../src/core/model.ts';
import type { ArtifactAttributes, TimelineEvent } from '../../src/store/store.ts';
import { eventMessage } from '../../src/store/timeline-event.ts';
import { openTestStore, reopenStore, sampleIncident, writeSourceFile } from './store-helpers.ts';

const SECRET_TARGET = 'http://admin:hunter2@10.0.0.7:6060/?token=s3cr3t';

async function gathering() {
  const store = openTestStore();
  const incident = await store.createIncident(sampleIncident(), {}, 'gather');
  const step = await store.startStep(incident.id, 'gather');
  return { store, incidentId: incident.id, stepRunId: step.id };
}

describe('artifact attributes', () => {
  it('come back typed after a reopen, with credentials masked in every string', async () => {
    const { store: first, incidentId, stepRunId } = await gathering();
    const attributes: ArtifactAttributes = {
      target: SECRET_TARGET,
      endpoint: 'http://admin:hunter2@10.0.0.7:6060/debug/pprof/goroutine?debug=2&token=s3cr3t',
      profile: 'goroutine',
      debug: '2',
      sample: 2,
      samples: 2,
      round: 'gather2',
    };
    const kept = await first.addArtifact(incidentId, {
      stepRunId,
      actionId: 'goroutines',
      sourcePath: writeSourceFile('goroutine 1 [running]:\n'),
      mediaType: MediaType.goroutines('2'),
      label: 'goroutine debug=2 (sample 2/2)',
      attributes,
    });
    const store = await reopenStore(first);
    const [again] = await store.artifacts(incidentId);
    expect(again).toEqual(kept);
    expect(again!.attributes).toEqual({
      ...attributes,
      target: 'http://***@10.0.0.7:6060/?token=***',
      endpoint: 'http://***@10.0.0.7:6060/debug/pprof/goroutine?debug=2&token=***',
    });
    expect(JSON.stringify(again)).not.toMatch(/hunter2|s3cr3t/);
  });

  it('refuses an unknown or mistyped attribute and keeps no file for it', async () => {
    const { store, incidentId, stepRunId } = await gathering();
    const add = (attributes: unknown) =>
      store.addArtifact(incidentId, {
        stepRunId,
        actionId: 'heap',
        sourcePath: writeSourceFile('x'),
        mediaType: MediaType.pprof('heap'),
        label: 'heap',
        attributes: attributes as ArtifactAttributes,
      });
    await expect(add({ sampel: 1 })).rejects.toThrow(/artifact 'heap' of action heap has invalid attributes: .*sampel/);
    await expect(add({ sample: 0 })).rejects.toThrow(StoreError);
    await expect(add({ role: 'chart', query: { name: 'q' } })).rejects.toThrow(/query\.expr/);
    expect(await store.artifacts(incidentId)).toEqual([]);
    expect(existsSync(store.artifactDir) ? readdirSync(store.artifactDir) : []).toEqual([]);
  });
});

describe('collection records', () => {
  it('keep status, reason, artifacts and times per action × target, with the bytes of their artifacts', async () => {
    const { store: first, incidentId, stepRunId } = await gathering();
    const keep = (content: string) =>
      first.addArtifact(incidentId, { stepRunId, actionId: 'heap', sourcePath: writeSourceFile(content), mediaType: 'x/y', label: 'heap' });
    const [a, b] = [await keep('12345'), await keep('123')];
    const ok = await first.addCollection(incidentId, {
      stepRunId,
      actionId: 'heap',
      target: 'http://10.0.0.7:6060',
      status: 'ok',
      reason: null,
      artifactIds: [a.id, b.id],
      startedAt: '2025-01-01T10:00:00.000Z',
      finishedAt: '2025-01-01T10:00:04.000Z',
    });
    expect(ok).toMatchObject({ id: expect.any(Number), bytes: 8 });
    await first.addCollection(incidentId, {
      stepRunId,
      actionId: 'heap',
      target: SECRET_TARGET,
      status: 'failed',
      reason: `connection refused by ${SECRET_TARGET}`,
      artifactIds: [],
      startedAt: '2025-01-01T10:00:00.000Z',
      finishedAt: '2025-01-01T10:00:01.000Z',
    });
    const store = await reopenStore(first);
    const records = await store.collections(incidentId);
    expect(records[0]).toEqual(ok);
    expect(records[1]).toMatchObject({
      target: 'http://***@10.0.0.7:6060/?token=***',
      status: 'failed',
      reason: 'connection refused by http://***@10.0.0.7:6060/?token=***',
      bytes: 0,
    });
  });

  it('refuses a record pointing at another incident’s artifact, or of another incident’s step run', async () => {
    const { store, incidentId, stepRunId } = await gathering();
    const other = await store.createIncident(sampleIncident(), {}, 'gather');
    const otherRun = await store.startStep(other.id, 'gather');
    const foreign = await store.addArtifact(other.id, {
      stepRunId: otherRun.id,
      actionId: 'heap',
      sourcePath: writeSourceFile('x'),
      mediaType: 'x/y',
      label: 'x',
    });
    const record = { stepRunId, actionId: 'heap', target: null, status: 'ok' as const, reason: null, startedAt: '', finishedAt: '' };
    await expect(store.addCollection(incidentId, { ...record, artifactIds: [foreign.id] })).rejects.toThrow(/not evidence of incident/);
    await expect(store.addCollection(incidentId, { ...record, stepRunId: otherRun.id, artifactIds: [] })).rejects.toThrow(StoreError);
    expect(await store.collections(incidentId)).toEqual([]);
  });
});

describe('timeline events', () => {
  it('come back as their typed payload, the sentence rendered from it', async () => {
    const { store: first, incidentId } = await gathering();
    const failed: TimelineEvent = {
      // After the events the store wrote itself: the timeline is ordered by time.
      at: new Date(Date.now() + 60_000).toISOString(),
      step: 'gather',
      kind: 'action-failed',
      action: 'heap',
      target: SECRET_TARGET,
      reason: 'connection refused',
    };
    await first.addEvent(incidentId, failed);
    const store = await reopenStore(first);
    const events = await store.timeline(incidentId);
    expect(events.map((e) => e.kind)).toEqual(['incident-created', 'step-started', 'action-failed']);
    expect(events[1]).toMatchObject({ kind: 'step-started', step: 'gather', attempt: 1 });
    const again = events[2]!;
    expect(again).toEqual({ ...failed, target: 'http://***@10.0.0.7:6060/?token=***' });
    expect(eventMessage(again)).toBe('heap on http://***@10.0.0.7:6060/?token=***: connection refused');
  });

  it('refuses a payload its kind does not allow', async () => {
    const { store, incidentId } = await gathering();
    const bad = { at: '2025-01-01T10:00:05.000Z', step: null, kind: 'action-failed', action: 'heap' } as unknown as TimelineEvent;
    await expect(store.addEvent(incidentId, bad)).rejects.toThrow(/'action-failed' event has an invalid payload: reason/);
    const extra = { at: '2025-01-01T10:00:05.000Z', step: null, kind: 'note', text: 'x', message: 'x' } as unknown as TimelineEvent;
    await expect(store.addEvent(incidentId, extra)).rejects.toThrow(/'note' event has an invalid payload/);
    expect((await store.timeline(incidentId)).map((e) => e.kind)).toEqual(['incident-created', 'step-started']);
  });
});

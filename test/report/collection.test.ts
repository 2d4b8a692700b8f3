/**
 * The Collection section's data from collection records alone: one row per record, named by its
 * action, in target order, with the status words the table uses.
 */
import { describe, expect, it } from 'vitest';
import { buildCollection } from '../../src/report/collection.ts';
import type { CollectionRecord } from '../../src/store/store.ts';

const T1 = 'http://10.0.0.7:6060';
const T2 = 'http://***@10.0.0.8:6060/?token=***';

let nextId = 1;
function record(
  stepRunId: number,
  actionId: string,
  target: string | null,
  status: CollectionRecord['status'],
  kept = 0,
  reason: string | null = null,
): CollectionRecord {
  const artifactIds = Array.from({ length: kept }, (_v, i) => 100 + nextId * 10 + i);
  return { id: nextId++, stepRunId, actionId, target, status, reason, artifactIds, bytes: kept * 1000, startedAt: '', finishedAt: '' };
}

function build(collections: CollectionRecord[], gatherRunIds = [2]) {
  return buildCollection({
    // As the CLI stores them (credentials in the second URL, a trailing slash on the first).
    params: { targets: `${T1}/\nhttp://admin:hunter2@10.0.0.8:6060/?token=s3cr3t` },
    gatherRunIds: new Set(gatherRunIds),
    collections,
    stepLabel: (id) => `gather #${id - 1}`,
  });
}

describe('buildCollection', () => {
  it('gives each record a row naming its action, in the order the targets were given, per-action rows last', () => {
    const c = build([
      record(2, 'logs', null, 'ok', 1),
      record(2, 'heap', T2, 'failed', 0, 'connection refused'),
      record(2, 'leaked', T1, 'not-served', 0, 'not served by this service'),
      record(2, 'goroutines', T1, 'failed', 1, 'sample 2 of 2: timed out mid-body'),
      record(2, 'heap', T1, 'ok', 2),
      record(2, 'metrics', null, 'skipped', 0, 'it needs prometheusUrl'),
      record(2, 'logs-extra', null, 'ok', 0, 'no file matches /var/log/x*.log'),
      record(3, 'escapes', null, 'ok', 2),
    ]);
    expect(c.targets).toEqual([T1, T2]);
    expect(c.rows.map((r) => [r.target, r.action, r.status, r.artifacts, r.reasons])).toEqual([
      [T1, 'goroutines', 'partly failed', 1, ['sample 2 of 2: timed out mid-body']],
      [T1, 'heap', 'ok', 2, []],
      [T1, 'leaked', 'not served', 0, ['not served by this service']],
      [T2, 'heap', 'failed', 0, ['connection refused']],
      [null, 'logs', 'ok', 1, []],
      [null, 'logs-extra', 'nothing collected', 0, ['no file matches /var/log/x*.log']],
      [null, 'metrics', 'skipped', 0, ['it needs prometheusUrl']],
    ]);
    expect(c.rows.every((r) => r.step === null)).toBe(true);
    expect(c.failedRows).toBe(2);
    expect(c.gathered).toBe(true);
  });

  it('says which gather each row is from when the incident gathered more than once', () => {
    const c = build([record(2, 'heap', T1, 'failed', 0, 'interrupted'), record(5, 'heap', T1, 'ok', 1)], [2, 5]);
    expect(c.rows.map((r) => [r.action, r.step, r.status])).toEqual([
      ['heap', 'gather #1', 'failed'],
      ['heap', 'gather #4', 'ok'],
    ]);
  });

  it('is empty, and says no gather ran, without gather runs', () => {
    const c = build([record(3, 'escapes', null, 'ok', 1)], []);
    expect(c.rows).toEqual([]);
    expect(c.gathered).toBe(false);
  });
});

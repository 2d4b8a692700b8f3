/**
 * The Collection section: for every gather action on every target, whether collecting worked,
 * why not, and how much was kept — one row per collection record, as the actions wrote them
 * when they finished (store.ts CollectionRecord). Nothing here reads a label or a message.
 */
import type { CollectionRecord, Incident } from '../store/store.js';
import { recordedTarget } from '../store/artifact-attributes.js';
import type { CollectionStatus, ReportCollection, ReportCollectionRow } from './gather-report-data.js';

export interface CollectionInput {
  params: Incident['params'];
  /** Ids of the incident's gather step runs (every attempt). */
  gatherRunIds: ReadonlySet<number>;
  collections: readonly CollectionRecord[];
  /** `gather #2` for a step run id. */
  stepLabel: (stepRunId: number) => string;
}

/** Builds the Collection section's data: rows per target in the order the targets were given, then the per-action rows. */
export function buildCollection(input: CollectionInput): ReportCollection {
  const targets = targetsOf(input.params);
  const records = input.collections.filter((c) => input.gatherRunIds.has(c.stepRunId));
  // A resumed gather has records of two attempts: each row then says which one it is.
  const attempts = new Set(records.map((c) => c.stepRunId)).size;
  const rank = (target: string | null) => {
    const at = target === null ? -1 : targets.indexOf(target);
    return at >= 0 ? at : targets.length + (target === null ? 1 : 0);
  };
  const rows = [...records]
    .sort(
      (a, b) =>
        rank(a.target) - rank(b.target) ||
        compare(a.target ?? '', b.target ?? '') ||
        a.stepRunId - b.stepRunId ||
        compare(a.actionId, b.actionId) ||
        a.id - b.id,
    )
    .map((c) => toRow(c, attempts > 1 ? input.stepLabel(c.stepRunId) : null));
  return {
    gathered: input.gatherRunIds.size > 0,
    targets,
    window: alertWindow(input.params),
    rows,
    failedRows: rows.filter((r) => r.status === 'failed' || r.status === 'partly failed').length,
  };
}

function toRow(record: CollectionRecord, step: string | null): ReportCollectionRow {
  const artifacts = record.artifactIds.length;
  return {
    target: record.target,
    action: record.actionId,
    step,
    status: statusShown(record.status, artifacts),
    reasons: record.reason === null ? [] : [record.reason],
    artifacts,
    bytes: record.bytes,
  };
}

function statusShown(status: CollectionRecord['status'], artifacts: number): CollectionStatus {
  switch (status) {
    case 'failed':
      return artifacts > 0 ? 'partly failed' : 'failed';
    case 'ok':
      return artifacts > 0 ? 'ok' : 'nothing collected';
    case 'not-served':
      return 'not served';
    case 'skipped':
      return 'skipped';
  }
}

/** The incident's targets: `targets` (one per line, as the CLI stores them), else `target`; as records name them. */
function targetsOf(params: Incident['params']): string[] {
  const listed = (params.targets ?? '')
    .split('\n')
    .map((t) => t.trim())
    .filter(Boolean);
  const all = listed.length > 0 ? listed : params.target ? [params.target.trim()] : [];
  return [...new Set(all.map(recordedTarget))];
}

function alertWindow(params: Incident['params']): ReportCollection['window'] {
  const start = params['window.start'];
  const end = params['window.end'];
  if (!start || !end) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return { start, end, durationMs: Number.isNaN(ms) ? null : ms };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

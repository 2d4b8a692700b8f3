/** `gotriage show ID`: steps, timeline, collection, evidence, findings and hypotheses of one incident. */
import { UsageError } from '../../core/errors.js';
import { stdoutWriter } from '../../core/terminal-writer.js';
import type { CollectionRecord, StepRun, Store } from '../../store/store.js';
import { eventKindShown, eventMessage } from '../../store/timeline-event.js';
import { openStoreOnly } from '../open-store.js';
import { flag, str, type Options } from '../options.js';

async function collectIncident(store: Store, id: string) {
  const incident = await store.getIncident(id);
  if (!incident) throw new UsageError(`no incident '${id}' in ${store.dbPath}`, 'list them with: gotriage list');
  return {
    incident,
    steps: await store.stepRuns(id),
    // Each event's payload, and the sentence rendered from it (what the text view prints).
    timeline: (await store.timeline(id)).map((e) => ({ ...e, message: eventMessage(e) })),
    collections: await store.collections(id),
    artifacts: await store.artifacts(id),
    toolRuns: await store.toolRuns(id),
    findings: await store.findings(id),
    hypotheses: await store.hypotheses(id),
    fixes: await store.fixes(id),
  };
}

const time = (iso: string | null) => (iso ? iso.slice(11, 19) : '--:--:--');

/** `  gather #1  goroutines  http://10.0.0.7:6060  ok  2 artifact(s), 51234 B`, then the reason. */
function collectionLine(c: CollectionRecord, steps: readonly StepRun[]): string {
  const run = steps.find((s) => s.id === c.stepRunId);
  const step = run ? `${run.step} #${run.attempt}` : `step run ${c.stepRunId}`;
  const kept = c.artifactIds.length > 0 ? `${c.artifactIds.length} artifact(s), ${c.bytes} B` : 'nothing kept';
  return `  ${step.padEnd(13)} ${c.actionId.padEnd(14)} ${c.target ?? '—'}  ${c.status}  ${kept}${c.reason ? ` — ${c.reason}` : ''}`;
}

export async function showCommand(opts: Options): Promise<number> {
  const store = openStoreOnly(opts);
  try {
    const data = await collectIncident(store, str(opts, 'id')!);
    if (flag(opts, 'json')) {
      stdoutWriter().json(data);
      return 0;
    }
    const { incident } = data;
    const out: string[] = [
      `${incident.id}  ${incident.title}`,
      `  service ${incident.service} · severity ${incident.severity} · playbook ${incident.playbookName} · ${incident.status} in ${incident.state}`,
      '',
      'Steps',
      ...data.steps.map(
        (s) =>
          `  ${time(s.startedAt)}–${time(s.finishedAt)}  ${s.step.padEnd(11)} #${s.attempt}  ${s.status}${s.reason ? ` — ${s.reason}` : ''}`,
      ),
      '',
      'Timeline',
      ...data.timeline.map((e) => `  ${time(e.at)}  ${(e.step ?? '').padEnd(11)} ${eventKindShown(e).padEnd(14)} ${e.message}`),
      '',
      `Collection (${data.collections.length})`,
      ...data.collections.map((c) => collectionLine(c, data.steps)),
      '',
      `Evidence (${data.artifacts.length} artifacts, ${data.toolRuns.length} tool runs)`,
      ...data.artifacts.map((a) => `  #${a.id} [${a.actionId}] ${a.label} — ${a.size} B ${a.mediaType} ${a.sha256.slice(0, 12)}`),
      ...data.toolRuns.map(
        (r) => `  $ ${r.argv.join(' ')} → ${r.timedOut ? 'timed out' : (r.signal ?? `exit ${r.exitCode}`)} in ${r.durationMs} ms`,
      ),
      '',
      `Findings (${data.findings.length})`,
      ...data.findings.map(
        (f) => `  [${f.severity}] ${f.title}${f.location?.file ? ` — ${f.location.file}:${f.location.line ?? ''}` : ''}`,
      ),
      '',
      `Hypotheses (${data.hypotheses.length})`,
      ...data.hypotheses.map((h) => `  ${h.checks.map((c) => c.verdict).join(' → ') || h.verdict}: ${h.statement}`),
      ...data.fixes.map(
        (f) =>
          `\nFix: ${f.summary}${f.commit ? ` (${f.commit})` : ''} — ${f.verified === null ? 'unverified' : f.verified ? 'verified' : 'NOT verified'}`,
      ),
    ];
    stdoutWriter().line(out.join('\n'));
    return 0;
  } finally {
    await store.close();
  }
}

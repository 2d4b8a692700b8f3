/**
 * What a killed gotriage leaves behind, cleared up by the next run that holds the session
 * lock (never before: the tools of a live session are not leftovers). Processes first —
 * a tool still running from the dead run is ended (its group and tagged descendants, TERM
 * then KILL) so a re-run does not start a second copy beside it — then the step runs that
 * were still `started` are marked interrupted.
 */
import type { Logger } from '../core/log.js';
import { endLeftover } from '../exec/process-group.js';
import { thisProcess } from '../exec/proc-table.js';
import type { ProcessRecord, StepRun, Store } from '../store/store.js';

/** TERM → KILL grace for leftovers: the same as for a tool that timed out. */
const LEFTOVER_GRACE_MS = 2000;

/**
 * Ends the incident's leftover processes and marks its interrupted steps, saying what it
 * did. Call only while holding the incident's session lock.
 */
export async function clearLeftovers(store: Store, incidentId: string, log: Logger): Promise<void> {
  const stepRuns = await store.stepRuns(incidentId);
  for (const record of await store.processes(incidentId, { running: true })) {
    await endRecordedProcess(store, record, stepRuns, log);
  }
  for (const run of await store.markInterrupted(incidentId)) {
    log.warn(`step ${run.step} (attempt ${run.attempt}, started ${run.startedAt}) was interrupted; its evidence so far is kept`);
  }
}

async function endRecordedProcess(store: Store, record: ProcessRecord, stepRuns: StepRun[], log: Logger): Promise<void> {
  const what = describeProcess(record, stepRuns);
  if (record.host !== thisProcess().host) {
    // Its record stays open: whoever resumes on that host ends it.
    log.warn(`${what} was started on host ${record.host} and may still run there: stop it on that host`);
    return;
  }
  const found = await endLeftover({ pgid: record.pgid, tag: record.tag, startId: record.startId }, LEFTOVER_GRACE_MS);
  if (found.length === 0) {
    await store.recordProcessEnd(record.id, { reason: 'gone' });
    return;
  }
  await store.recordProcessEnd(record.id, { reason: 'ended-on-resume' });
  const pids = found.map((p) => p.pid).join(', ');
  log.warn(`${what} was still running from the interrupted run: ended it (pid ${pids}) so it does not run twice`);
}

/** `tool \`sleep 60\` of gather (attempt 1)` */
function describeProcess(record: ProcessRecord, stepRuns: StepRun[]): string {
  const run = stepRuns.find((r) => r.id === record.stepRunId);
  const of = run ? ` of ${run.step} (attempt ${run.attempt})` : '';
  return `${record.kind} \`${record.argv.join(' ')}\`${of}`;
}

/**
 * Shared by start, resume and demo: take the incident's session lock, clear what a killed
 * run left behind, run the session to its end, re-render the postmortem once the incident
 * is done (so it shows the final status), print the result on stdout.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Fanout, type FanoutOptions } from '../collect/fanout.js';
import { createProgress } from '../collect/progress.js';
import { runSession } from '../engine/session.js';
import { clearLeftovers } from '../engine/session-leftovers.js';
import { acquireSessionLock } from '../engine/session-lock.js';
import type { SessionOptions } from '../engine/types.js';
import { ExitCode } from '../core/errors.js';
import { stdoutWriter } from '../core/terminal-writer.js';
import type { LoadedPlaybook } from '../playbook/loader.js';
import { renderPostmortem } from '../report/render.js';
import type { Context } from '../engine/context.js';
import type { Incident } from '../store/store.js';
import { makeStepEnv } from './session-env.js';
import { listenForInterrupt } from './interrupt.js';

export interface SessionRun {
  /** The command running it, named to a second gotriage that finds the session locked. */
  command: 'start' | 'resume' | 'demo';
  ctx: Context;
  incident: Incident;
  playbook: LoadedPlaybook;
  options: SessionOptions;
  liveParams: Record<string, string>;
  json: boolean;
  /** An outer signal (the demo's), besides Ctrl-C. */
  signal?: AbortSignal;
  /** How profiles are fetched from the targets (--concurrency, --header, --target-deadline). */
  collect?: FanoutOptions;
}

export async function runSessionToEnd(run: SessionRun): Promise<{ code: number; reportPath: string | null }> {
  const { ctx } = run;
  // Nothing of the session — not even marking a step interrupted — happens before the lock is ours.
  const lock = await acquireSessionLock(ctx.store, run.incident.id, { command: run.command, log: ctx.log });
  try {
    // Read again under the lock: a session that ran meanwhile may have moved it on.
    const incident = (await ctx.store.getIncident(run.incident.id)) ?? run.incident;
    if (incident.status === 'done') {
      ctx.log.info(`incident ${incident.id} is already done; re-render its postmortem with: gotriage report ${incident.id}`);
      return { code: ExitCode.ok, reportPath: null };
    }
    await clearLeftovers(ctx.store, incident.id, ctx.log);
    return await runLocked(run, incident, lock.lost);
  } finally {
    await lock.release();
  }
}

async function runLocked(run: SessionRun, incident: Incident, lockLost: AbortSignal): Promise<{ code: number; reportPath: string | null }> {
  const { ctx } = run;
  const interrupt = listenForInterrupt();
  const signal = AbortSignal.any([interrupt.signal, lockLost, ...(run.signal ? [run.signal] : [])]);
  const fanout = new Fanout({ ...run.collect, progress: createProgress({ stream: process.stderr }) });
  try {
    ctx.log.info(`incident ${incident.id}: ${incident.title} (${incident.severity}, ${incident.service})`);
    const end = await runSession(await makeStepEnv(ctx, incident, run.playbook, run.options, run.liveParams, fanout, signal));
    if (end.kind === 'paused') {
      const message = `paused before ${end.at}; resume with: gotriage resume ${incident.id}`;
      if (run.json) stdoutWriter().json({ incident: incident.id, paused: end.at });
      else stdoutWriter().line(message);
      return { code: ExitCode.ok, reportPath: null };
    }
    const reportPath = end.reportPath ? await renderPostmortem(ctx.store, incident.id, { outPath: end.reportPath }) : null;
    if (run.json) stdoutWriter().json({ incident: incident.id, report: reportPath });
    else stdoutWriter().line(reportPath ?? '(no postmortem)');
    return { code: ExitCode.ok, reportPath };
  } finally {
    fanout.progress?.close();
    fanout.close();
    interrupt.dispose();
    // The scratch directory is this session's: removed only by the run that holds the lock.
    rmSync(join(dirname(ctx.store.dbPath), 'scratch', incident.id), { recursive: true, force: true });
  }
}

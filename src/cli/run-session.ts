/**
 * Shared by start, resume and demo: run the session to its end, re-render the
 * postmortem once the incident is done (so it shows the final status), print the
 * result on stdout.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Fanout, type FanoutOptions } from '../collect/fanout.js';
import { createProgress } from '../collect/progress.js';
import { runSession } from '../engine/session.js';
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
  const { ctx, incident } = run;
  const interrupt = listenForInterrupt();
  const signal = run.signal ? AbortSignal.any([interrupt.signal, run.signal]) : interrupt.signal;
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
    rmSync(join(dirname(ctx.store.dbPath), 'scratch', incident.id), { recursive: true, force: true });
  }
}

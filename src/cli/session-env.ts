/**
 * Builds what each step receives (StepEnv) for one incident, and the parameter
 * values its playbook strings are filled from.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context } from '../engine/context.js';
import type { Fanout } from '../collect/fanout.js';
import type { SessionOptions, StepEnv } from '../engine/types.js';
import type { LoadedPlaybook } from '../playbook/loader.js';
import type { Incident } from '../store/store.js';

/** Targets are kept in params as one newline-separated value. */
export function targetsOf(params: Record<string, string>): string[] {
  return (params.targets ?? '').split('\n').filter(Boolean);
}

export function makeStepEnv(
  ctx: Context,
  incident: Incident,
  playbook: LoadedPlaybook,
  options: SessionOptions,
  /** Values given on this command line win over stored ones (e.g. a target with credentials, never stored). */
  liveParams: Record<string, string>,
  /** The session's one pprof fan-out: request limit, per-target deadlines, headers, progress. */
  fanout: Fanout,
  /** Aborted by Ctrl-C (and, in the demo, by its own shutdown). */
  signal: AbortSignal,
): StepEnv {
  const params = { ...incident.params, ...liveParams, incidentId: incident.id };
  const scratchDir = join(dirname(ctx.store.dbPath), 'scratch', incident.id);
  mkdirSync(scratchDir, { recursive: true });
  return { ctx, incident, playbook, options, params, targets: targetsOf(params), scratchDir, signal, fanout };
}

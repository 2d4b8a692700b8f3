/**
 * Builds what each step receives (StepEnv) for one incident, and the parameter
 * values its playbook strings are filled from.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MASK } from '../core/redact.js';
import { registerParamSecrets } from '../core/secret-sources.js';
import type { Context } from '../engine/context.js';
import type { Fanout } from '../collect/fanout.js';
import type { SessionOptions, StepEnv } from '../engine/types.js';
import type { LoadedPlaybook } from '../playbook/loader.js';
import type { Incident } from '../store/store.js';

/** Targets are kept in params as one newline-separated value. */
export function targetsOf(params: Record<string, string>): string[] {
  return (params.targets ?? '').split('\n').filter(Boolean);
}

/**
 * The placeholder values of a session, lowest first: the stored params (redacted when stored),
 * the playbook's own default for a param stored as `***` (a secret default is never stored, the
 * playbook still has it), the answers saved so far (`{{alert.summary}}` — an answer is what the
 * engineer said about this incident, so it wins over the alert's field of the same name), then
 * this command line's values, then the incident id.
 */
export async function sessionParams(
  ctx: Context,
  incident: Incident,
  playbook: LoadedPlaybook,
  liveParams: Record<string, string>,
): Promise<Record<string, string>> {
  const stored = { ...incident.params };
  for (const [name, value] of Object.entries(playbook.playbook.params)) if (stored[name] === MASK) stored[name] = value;
  const answers = Object.fromEntries(Object.entries(await ctx.store.answers(incident.id)).map(([k, v]) => [k, String(v)]));
  const params = { ...stored, ...liveParams, ...answers, incidentId: incident.id };
  registerParamSecrets(params);
  return params;
}

export async function makeStepEnv(
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
): Promise<StepEnv> {
  const params = await sessionParams(ctx, incident, playbook, liveParams);
  const scratchDir = join(dirname(ctx.store.dbPath), 'scratch', incident.id);
  mkdirSync(scratchDir, { recursive: true });
  return { ctx, incident, playbook, options, params, targets: targetsOf(params), scratchDir, signal, fanout };
}

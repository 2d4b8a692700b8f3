/**
 * What `start`, `resume` and `demo` share before a session runs: the session options from
 * flags, the parameter values a playbook is filled from, and the tools it needs on PATH.
 */
import { resolve } from 'node:path';
import { alertParams, type IngestedAlert } from '../collect/alert.js';
import type { SessionOptions } from '../engine/types.js';
import { UsageError } from '../core/errors.js';
import { registerParamSecrets } from '../core/secret-sources.js';
import { requireExecutable } from '../exec/which.js';
import type { StepId } from '../core/model.js';
import { fillArgs } from '../playbook/interpolate.js';
import type { LoadedPlaybook } from '../playbook/loader.js';
import { keyValues, positiveInt, str, strs, stepId, type Options } from './options.js';

/** Every tool the playbook's command actions run must exist before any state changes. */
export function checkPlaybookTools(playbook: LoadedPlaybook, params: Record<string, string>): void {
  const steps = playbook.playbook.steps;
  for (const action of [...steps.gather.actions, ...steps.analyze.actions]) {
    if (action.kind !== 'command') continue;
    const [tool] = fillArgs([action.tool], params, `action ${action.id}`);
    requireExecutable(tool!);
  }
}

export function sessionOptions(opts: Options): SessionOptions {
  const skip: Partial<Record<StepId, string>> = {};
  for (const [step, reason] of Object.entries(keyValues(strs(opts, 'skip'), '--skip'))) {
    skip[stepId(step, '--skip')!] = reason || 'skipped by flag';
  }
  return {
    skip,
    until: stepId(str(opts, 'until'), '--until'),
    outDir: resolve(str(opts, 'out') ?? 'postmortems'),
    maxRounds: positiveInt(str(opts, 'maxRounds'), '--max-rounds', 3),
  };
}

/**
 * Playbook defaults < the alert (labels, start time, window, expression) < --param < runtime values
 * from flags. Secret-named values and URL credentials among them are registered as secrets, so the
 * incident row that stores these params (redacted) never holds them.
 */
export function buildParams(
  playbook: LoadedPlaybook,
  alert: IngestedAlert,
  opts: Options,
  service: string,
  targets: string[],
): Record<string, string> {
  const declared = playbook.playbook.params;
  const fromAlert = alertParams(alert);
  const runtime: Record<string, string> = {
    service,
    pprofBase: str(opts, 'pprofBase') ?? '/debug/pprof',
    targets: targets.join('\n'),
  };
  if (targets[0]) runtime.target = targets[0];
  const serviceDir = str(opts, 'serviceDir');
  if (serviceDir) runtime.serviceDir = resolve(serviceDir);
  const params = { ...declared, ...fromAlert, ...keyValues(strs(opts, 'param'), '--param'), ...runtime };
  for (const [k, v] of Object.entries(params)) if (v.includes('\0')) throw new UsageError(`parameter ${k} contains a NUL byte`);
  registerParamSecrets(params);
  return params;
}

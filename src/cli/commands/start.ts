/**
 * `gotriage start`: validate the playbook and the tools it needs, ingest the alert,
 * create the incident and run the session.
 */
import { basename, resolve } from 'node:path';
import { alertFromFlags, alertParams, loadAlertFile, type IngestedAlert } from '../../collect/alert.js';
import type { SessionOptions } from '../../engine/types.js';
import { UsageError } from '../../errors.js';
import { redactSecrets, redactUrl } from '../../exec/redact.js';
import { requireExecutable } from '../../exec/which.js';
import type { Severity, StepId } from '../../model.js';
import { fillArgs } from '../../playbook/interpolate.js';
import type { LoadedPlaybook } from '../../playbook/loader.js';
import { fanoutFromFlags, targetsFromFlags } from '../collect-options.js';
import { loadValidPlaybook } from '../load-playbook.js';
import { flag, keyValues, positiveInt, str, strs, stepId, type Options } from '../options.js';
import { runSessionToEnd } from '../run-session.js';
import { createStderrLogger } from '../../log.js';
import { openContext } from '../setup.js';

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

/** Playbook defaults < the alert (labels, start time, window, expression) < --param < runtime values from flags. */
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
  return params;
}

export async function startCommand(opts: Options): Promise<number> {
  const log = createStderrLogger({ verbose: flag(opts, 'verbose') });
  const playbook = loadValidPlaybook(str(opts, 'playbook') ?? 'go-service', log);
  const targets = targetsFromFlags(opts);
  const usesPprof = playbook.playbook.steps.gather.actions.some((a) => a.kind === 'pprof');
  if (usesPprof && targets.length === 0) {
    throw new UsageError(`playbook ${playbook.playbook.name} collects profiles over HTTP and needs at least one --target URL`);
  }
  const alertFile = str(opts, 'alert');
  const now = new Date();
  const alert: IngestedAlert = alertFile ? loadAlertFile(alertFile, { now }) : alertFromFlags({ now });
  const serviceDir = str(opts, 'serviceDir');
  const service = str(opts, 'service') ?? alert.service ?? (serviceDir ? basename(resolve(serviceDir)) : 'service');
  const params = buildParams(playbook, alert, opts, service, targets);
  checkPlaybookTools(playbook, params);
  const options = sessionOptions(opts);

  const { ctx, close } = await openContext(opts);
  try {
    // Stored values are redacted: credentials in a target URL (or an alert label) never reach the database.
    const storedParams = {
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, redactSecrets(v)])),
      targets: targets.map(redactUrl).join('\n'),
      ...(params.target ? { target: redactUrl(params.target) } : {}),
    };
    const incident = ctx.store.createIncident(
      {
        title: str(opts, 'title') ?? alert.title,
        severity: (str(opts, 'severity') as Severity | undefined) ?? alert.severity,
        service,
        playbookName: playbook.playbook.name,
        playbookPath: playbook.path,
        params: storedParams,
        alert: JSON.parse(redactSecrets(JSON.stringify(alert.raw ?? {}))),
      },
      null,
      'alert',
    );
    const { code } = await runSessionToEnd({
      ctx,
      incident,
      playbook,
      options,
      liveParams: params,
      json: flag(opts, 'json'),
      collect: fanoutFromFlags(opts),
    });
    return code;
  } finally {
    close();
  }
}

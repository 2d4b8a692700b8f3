/**
 * `gotriage start`: validate the playbook and the tools it needs, ingest the alert,
 * create the incident and run the session.
 */
import { basename, resolve } from 'node:path';
import { alertFromFlags, loadAlertFile, type IngestedAlert } from '../../collect/alert.js';
import { UsageError } from '../../core/errors.js';
import { redactSecrets, redactUrl } from '../../core/redact.js';
import type { Severity } from '../../core/model.js';
import { fanoutFromFlags, targetsFromFlags } from '../collect-options.js';
import { loadValidPlaybook } from '../load-playbook.js';
import { flag, str, type Options } from '../options.js';
import { runSessionToEnd } from '../run-session.js';
import { buildParams, checkPlaybookTools, sessionOptions } from '../session-options.js';
import { createStderrLogger } from '../../core/log.js';
import { openContext } from '../setup.js';

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
    const incident = await ctx.store.createIncident(
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
      command: 'start',
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
    await close();
  }
}

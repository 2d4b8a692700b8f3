/**
 * `gotriage resume ID`: continue a saved session where it stopped. Steps that were
 * running when the process died are shown as interrupted and re-run only if the user
 * (or --rerun / the answers file's `resume.rerun`) agrees.
 */
import { UsageError } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import { createStderrLogger } from '../../core/log.js';
import type { Answer } from '../../prompt/prompter.js';
import { loadValidPlaybook } from '../load-playbook.js';
import { flag, str, type Options } from '../options.js';
import { runSessionToEnd } from '../run-session.js';
import { openContext } from '../setup.js';
import { sessionOptions } from '../session-options.js';
import { fanoutFromFlags, targetsFromFlags } from '../collect-options.js';

export async function resumeCommand(opts: Options): Promise<number> {
  const id = str(opts, 'id')!;
  const presets: Record<string, Answer> = {};
  if (opts.rerun === true || opts.rerun === false) presets['resume.rerun'] = opts.rerun;
  const { ctx, close } = await openContext(opts, presets);
  try {
    const incident = await ctx.store.getIncident(id);
    if (!incident) throw new UsageError(`no incident '${id}' in ${ctx.store.dbPath}`, 'list them with: gotriage list');
    if (incident.status === 'done') {
      ctx.log.info(`incident ${id} is already done; re-render its postmortem with: gotriage report ${id}`);
      return 0;
    }
    const playbook = loadValidPlaybook(incident.playbookPath, createStderrLogger({ verbose: flag(opts, 'verbose') }));
    const targets = targetsFromFlags(opts);
    // Targets given again (e.g. with credentials, which were never stored) replace the stored ones.
    const liveParams: Record<string, string> = targets.length > 0 ? { targets: targets.join('\n'), target: targets[0]! } : {};
    if (targets.length > 0) ctx.log.info(`collecting from ${targets.map(redactUrl).join(', ')}`);
    // Interrupted steps are marked, and leftover tools ended, once the session lock is held.
    const { code } = await runSessionToEnd({
      command: 'resume',
      ctx,
      incident,
      playbook,
      options: { ...sessionOptions(opts), skip: {} },
      liveParams,
      json: flag(opts, 'json'),
      collect: fanoutFromFlags(opts),
    });
    return code;
  } finally {
    await close();
  }
}

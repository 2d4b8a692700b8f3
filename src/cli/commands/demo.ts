/**
 * `gotriage demo`: a whole triage, end to end, against the bundled Go service.
 *
 * It copies examples/demo-service into a scratch git repository, builds and starts it
 * on a free loopback port, drives load at it, and runs the go-service playbook through
 * all six steps non-interactively. At the fix step the demo plays the on-call engineer:
 * it applies examples/demo-service/fix.patch as a real commit, rebuilds and restarts the
 * service on the same port, and answers with that commit — so the re-check runs on
 * fresh evidence from the fixed service. Nothing in the postmortem is canned.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAlertPayload, type IngestedAlert } from '../../collect/alert.js';
import { applyFix, prepareWorkspace } from '../../demo/workspace.js';
import { buildService, startService, type RunningService } from '../../demo/service.js';
import { startLoad, type RunningLoad } from '../../demo/load.js';
import { findExecutable, requireExecutable } from '../../exec/which.js';
import { startPrometheus, waitForSamples, type RunningPrometheus } from '../../demo/prometheus.js';
import type { Prompter } from '../../prompt/prompter.js';
import { examplesDir } from '../../core/paths.js';
import { createStderrLogger } from '../../core/log.js';
import { loadValidPlaybook } from '../load-playbook.js';
import { flag, str, type Options } from '../options.js';
import { runSessionToEnd } from '../run-session.js';
import { openContext } from '../setup.js';
import { buildParams } from '../session-options.js';

const SERVICE_SRC = join(examplesDir, 'demo-service');
const LOAD_PATHS = ['/export', '/hit', '/checksum?n=3000'];
const LOAD_CONCURRENCY = 4;

/** The answers an engineer would type; fix.commit is answered by applying the fix. */
const DEMO_ANSWERS = {
  'alert.summary': 'goroutines and CPU climbing on demo-service since the last deploy; p99 latency up',
  'fix.summary':
    'renderExport sends on a buffered channel so an abandoned export no longer blocks forever; stats.recordHit takes the mutex; slowChecksum is linear instead of quadratic',
};

/** The bundled alert, fired `now`: its start, and so the collection window, come from this run. */
function firedNow(path: string, now: Date): IngestedAlert {
  const payload = JSON.parse(readFileSync(path, 'utf8')) as { alerts?: { startsAt?: string }[] };
  for (const a of payload.alerts ?? []) a.startsAt = now.toISOString();
  return parseAlertPayload(payload, path, { now });
}

export async function demoCommand(opts: Options): Promise<number> {
  const log = createStderrLogger({ verbose: flag(opts, 'verbose') });
  requireExecutable('go');
  requireExecutable('git');
  const playbook = loadValidPlaybook('go-service', log);
  const work = mkdtempSync(join(tmpdir(), 'gotriage-demo-'));
  const serviceDir = join(work, 'demo-service');
  const binary = join(work, 'demo-service.bin');
  // Where a deployed service's log would be: the logs action reads it.
  const logFile = join(work, 'demo-service.log');
  let service: RunningService | undefined;
  let load: RunningLoad | undefined;
  let prometheus: RunningPrometheus | undefined;

  async function launch(addr: string): Promise<void> {
    await buildService(serviceDir, { outputPath: binary });
    service = await startService(binary, { args: ['-addr', addr], logFile });
    load = startLoad(service.url, { paths: LOAD_PATHS, concurrency: LOAD_CONCURRENCY });
  }

  /** At the fix prompt: commit the patch, rebuild, restart on the same address. */
  const playEngineer = (inner: Prompter): Prompter => ({
    interactive: inner.interactive,
    async ask(question, askOptions) {
      if (question.key !== 'fix.commit') return inner.ask(question, askOptions);
      log.info('demo: applying examples/demo-service/fix.patch as the on-call engineer would, then redeploying');
      const fix = await applyFix(serviceDir, join(SERVICE_SRC, 'fix.patch'));
      const addr = new URL(service!.url).host;
      await load?.stop();
      await service?.stop();
      await launch(addr);
      return fix.commit;
    },
  });

  try {
    log.info('demo: building and starting examples/demo-service');
    await prepareWorkspace(SERVICE_SRC, serviceDir);
    await launch('127.0.0.1:0');
    // Metrics come from a real Prometheus when one is installed; without it the playbook's
    // metrics action is skipped with a recorded reason (it requires prometheusUrl).
    if (findExecutable('prometheus')) {
      log.info('demo: starting Prometheus to scrape the service every second');
      prometheus = await startPrometheus({ scrapeTargets: [new URL(service!.url).host], scrapeInterval: '1s', job: 'demo-service' });
      // Let the incident build up a few seconds of history to chart (and of log lines).
      await waitForSamples(prometheus.url, 'go_goroutines', 6);
    } else {
      log.info('demo: prometheus is not installed, so the metrics step is skipped (apt-get install prometheus)');
    }
    const { ctx, close } = await openContext({ ...opts, nonInteractive: true }, DEMO_ANSWERS, playEngineer);
    try {
      // The bundled alert fired "now": every timestamp in the postmortem comes from this run.
      const alert = firedNow(join(SERVICE_SRC, 'alert.json'), ctx.clock.now());
      const targets = [service!.url];
      const demoParams = [`logFile=${logFile}`, 'benchPattern=SlowChecksum', ...(prometheus ? [`prometheusUrl=${prometheus.url}`] : [])];
      const params = buildParams(
        playbook,
        alert,
        { pprofBase: '/user/debug/pprof', serviceDir, param: demoParams },
        'demo-service',
        targets,
      );
      const incident = await ctx.store.createIncident(
        {
          title: alert.title,
          severity: alert.severity,
          service: 'demo-service',
          playbookName: playbook.playbook.name,
          playbookPath: playbook.path,
          params,
          alert: alert.raw,
        },
        null,
        'alert',
      );
      const { code } = await runSessionToEnd({
        command: 'demo',
        ctx,
        incident,
        playbook,
        options: { skip: {}, outDir: resolve(str(opts, 'out') ?? 'postmortems'), maxRounds: 3 },
        liveParams: params,
        json: flag(opts, 'json'),
      });
      return code;
    } finally {
      await close();
    }
  } finally {
    const stats = await load?.stop();
    if (stats) log.info(`demo: load sent ${stats.ok} ok / ${stats.failed} failed requests`);
    await service?.stop();
    await prometheus?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Credentials for the targets — userinfo in a URL, a token query parameter, an
 * Authorization header from --header — reach the servers, and nothing else: not the
 * database file, not its WAL, not the log, not the progress output, not the postmortem.
 * Userinfo and an Authorization header together are refused: only one can be sent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fanout } from '../../src/collect/fanout.ts';
import { createProgress } from '../../src/collect/progress.ts';
import { parseHeaderFlags } from '../../src/collect/targets.ts';
import { targetsFromFlags } from '../../src/cli/collect-options.ts';
import { runPprofAction } from '../../src/engine/actions/pprof-action.ts';
import { renderPostmortem } from '../../src/report/render.ts';
import { buildPprofServer, startPprofServer, type RunningServer } from './go-pprof-server.ts';
import {
  captureStream,
  makeGatherEnv,
  openTempStore,
  pprofAction,
  startNodeServer,
  type NodeServer,
  type TestStore,
} from './fanout-helpers.ts';
import { usageError } from '../helpers/errors.ts';

const PASSWORD = 'hunter2-pass';
const WRONG_PASSWORD = 'wrong-pass-99';
const BEARER = 's3cr3t-bearer-token';
const QUERY_TOKEN = 'qtok-secret-77';
const SECRETS = [PASSWORD, WRONG_PASSWORD, BEARER, QUERY_TOKEN, Buffer.from(`gotriage:${PASSWORD}`).toString('base64')];
const HEAP = readFileSync(resolve(import.meta.dirname, '../fixtures/pprof-http/go1.26/heap.pb.gz'));

let goServer: RunningServer;
let tokenServer: NodeServer;
let testStore: TestStore;
const seenByTokenServer: { authorization?: string; url?: string }[] = [];

beforeAll(async () => {
  goServer = await startPprofServer(await buildPprofServer(), ['-basic-auth', `gotriage:${PASSWORD}`]);
  // Stands in for a proxy that wants a bearer token and a token parameter.
  tokenServer = await startNodeServer((req, res) => {
    seenByTokenServer.push({ authorization: req.headers.authorization, url: req.url });
    const ok = req.headers.authorization === `Bearer ${BEARER}` && req.url?.includes(`access_token=${QUERY_TOKEN}`);
    res.writeHead(ok ? 200 : 401, { 'content-type': ok ? 'application/octet-stream' : 'text/plain' });
    res.end(ok ? HEAP : 'unauthorized');
  });
  testStore = openTempStore();
});
afterAll(async () => {
  await goServer.stop();
  await tokenServer.close();
  await testStore.cleanup();
});

describe('credentials for targets', () => {
  it('are sent to the servers and appear nowhere in the database, WAL, log, progress or report', async () => {
    const withUser = goServer.url.replace('http://', `http://gotriage:${PASSWORD}@`);
    const withWrongUser = goServer.url.replace('http://', `http://gotriage:${WRONG_PASSWORD}@`);
    const withToken = `${tokenServer.url}/?access_token=${QUERY_TOKEN}`;
    const stream = captureStream(false);
    const progress = createProgress({ stream });
    const env = await makeGatherEnv(testStore, [withUser, withWrongUser], { progress });
    // The bearer token goes with every request of its run: a run of its own, for the target
    // without userinfo (userinfo and an Authorization header together are refused, below).
    const tokenEnv = {
      ...env,
      targets: [withToken],
      fanout: new Fanout({ headers: parseHeaderFlags([`Authorization: Bearer ${BEARER}`]), progress }),
    };
    const action = pprofAction({ id: 'heap', profile: 'heap', timeout: '10s' });
    const outcomes = [
      await runPprofAction(env, env.stepRunId, action, 'gather1'),
      await runPprofAction(tokenEnv, env.stepRunId, action, 'gather1'),
    ];
    const outcome = {
      artifacts: outcomes.flatMap((o) => o.artifacts),
      findings: outcomes.flatMap((o) => o.findings ?? []),
      events: outcomes.flatMap((o) => o.events),
    };

    // Server side: the Go service accepted the Basic credentials from the userinfo (it answers
    // 401 otherwise), the token server saw the header and the parameter.
    const goodHost = goServer.url.replace('http://', '');
    expect(outcome.artifacts.filter((a) => !a.label.includes('failed')).map((a) => a.label)).toEqual(
      expect.arrayContaining([
        `heap from http://***@${goodHost}`,
        expect.stringMatching(/^heap from http:\/\/127\.0\.0\.1:\d+\/\?access_token=\*\*\*$/),
      ]),
    );
    expect(seenByTokenServer).toEqual([{ authorization: `Bearer ${BEARER}`, url: `/debug/pprof/heap?access_token=${QUERY_TOKEN}` }]);
    // The wrong password is a failure that names the target, without the password.
    expect(outcome.findings?.map((f) => f.title)).toEqual([
      `could not collect http://***@${goodHost}/debug/pprof/heap: credentials missing or wrong (HTTP 401)`,
    ]);

    await env.ctx.store.commitTransition({
      incidentId: env.incident.id,
      snapshot: { value: 'analyze' },
      state: 'analyze',
      stepRun: { id: env.stepRunId, status: 'finished' },
      findings: outcome.findings,
      events: outcome.events.map((e) => ({ ...e, step: 'gather' as const })),
    });
    const reportPath = await renderPostmortem(env.ctx.store, env.incident.id, { outPath: join(testStore.dir, 'report', 'postmortem.md') });
    const report = readFileSync(reportPath, 'utf8');
    // The failure is in the report (Markdown escapes the mask's asterisks).
    expect(report.replaceAll('\\*', '*')).toContain(`could not collect http://***@${goodHost}/debug/pprof/heap: credentials missing`);
    const dbPath = env.ctx.store.dbPath;
    const walBytes = existsSync(`${dbPath}-wal`) ? readFileSync(`${dbPath}-wal`).toString('latin1') : '';
    const logText = env.log.lines.join('\n');

    const places: Record<string, string> = {
      wal: walBytes,
      db: readFileSync(dbPath).toString('latin1'),
      log: logText,
      progress: stream.text(),
      report,
    };
    expect(walBytes + places.db).toContain(goodHost); // the scan reads real rows
    for (const [place, text] of Object.entries(places)) {
      for (const secret of SECRETS) expect(text, `${secret} in ${place}`).not.toContain(secret);
    }
    // And once the WAL is checkpointed into the main file.
    await testStore.store.close();
    const checkpointed = readFileSync(dbPath).toString('latin1');
    expect(checkpointed).toContain(goodHost);
    for (const secret of SECRETS) expect(checkpointed, `${secret} in the checkpointed database`).not.toContain(secret);
  });
});

describe("--header 'Authorization: …' together with user:password@ in a target", () => {
  const header = [`Authorization: Bearer ${BEARER}`];
  const userinfoTarget = () => tokenServer.url.replace('http://', `http://gotriage:${PASSWORD}@`);
  const host = () => tokenServer.url.replace('http://', '');

  it('is refused before a session starts, naming the target by its host and no secret', () => {
    const error = usageError(() => targetsFromFlags({ target: [tokenServer.url, userinfoTarget()], header }));
    expect(error.message).toBe(
      `the target ${host()} has credentials in its URL (user:password@) and an Authorization header was given too: only one can be sent`,
    );
    expect(error.hint).toMatch(/remove user:password@ from the target, or the --header Authorization/);
    for (const secret of SECRETS) expect(`${error.message} ${error.hint}`).not.toContain(secret);
    // Either one alone is what it always was.
    expect(targetsFromFlags({ target: [userinfoTarget()] })).toEqual([userinfoTarget()]);
    expect(targetsFromFlags({ target: [tokenServer.url], header })).toEqual([tokenServer.url]);
  });

  it('is refused by the fan-out as well, and the server receives neither credential', async () => {
    const own = openTempStore();
    try {
      const before = seenByTokenServer.length;
      const env = await makeGatherEnv(own, [userinfoTarget()], { headers: parseHeaderFlags(header) });
      const outcome = await runPprofAction(env, env.stepRunId, pprofAction({ id: 'heap', profile: 'heap', timeout: '10s' }), 'gather1');
      expect(seenByTokenServer.length).toBe(before);
      expect(outcome.artifacts).toEqual([]);
      expect(outcome.findings?.map((f) => f.title)).toEqual([
        `could not collect http://***@${host()}/debug/pprof/heap: the target ${host()} has credentials in its URL (user:password@) and an Authorization header was given too: only one can be sent`,
      ]);
    } finally {
      await own.cleanup();
    }
  });
});

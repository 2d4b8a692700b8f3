/**
 * The runtime's goroutineleak profile (Go 1.26 with GOEXPERIMENT=goroutineleakprofile,
 * Go 1.27 by default) proves a leak from ONE sample; a service that does not serve it has
 * the action skipped, not failed.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildService, startService, type RunningService } from '../../src/demo/service.js';
import { startLoad, type RunningLoad } from '../../src/demo/load.js';
import { cli, repoRoot } from '../helpers/cli.js';
import { demoServiceDir } from '../helpers/demo-service.js';

const playbook = join(repoRoot, 'test/fixtures/playbooks/leak-proof.yaml');
let service: RunningService | undefined;
let load: RunningLoad | undefined;

afterEach(async () => {
  await load?.stop();
  await service?.stop();
});

async function startDemo(dir: string, env: Record<string, string>): Promise<string> {
  const binary = await buildService(demoServiceDir, { outputPath: join(dir, 'svc'), env });
  service = await startService(binary);
  load = startLoad(service.url, { paths: ['/export'], concurrency: 2 });
  await new Promise((r) => setTimeout(r, 1500)); // let some exports be abandoned
  return service.url;
}

async function triage(dir: string, url: string) {
  const db = join(dir, 'g.db');
  const result = await cli(
    ['start', '--playbook', playbook, '--target', url, '--pprof-base', '/user/debug/pprof', '--non-interactive', '--out', join(dir, 'pm')],
    { db },
  );
  expect(result.exitCode, result.all).toBe(0);
  const id = /inc-[0-9a-f]+/.exec(result.stdout)![0];
  return { report: readFileSync(result.stdout.trim(), 'utf8'), show: JSON.parse((await cli(['show', id, '--json'], { db })).stdout) };
}

describe('goroutineleak profile in a session', () => {
  it('confirms the leak in main.renderExport from one sample when the service serves the profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gotriage-leakproof-'));
    const url = await startDemo(dir, { GOEXPERIMENT: 'goroutineleakprofile' });
    const { show } = await triage(dir, url);
    const leak = show.hypotheses.find((h: { key: string }) => h.key === 'proven-leak:main.renderExport');
    expect(leak, JSON.stringify(show.findings.map((f: { title: string }) => f.title))).toBeDefined();
    expect(leak.verdict).toBe('confirmed');
    expect(show.collections).toEqual([expect.objectContaining({ actionId: 'leaked', target: url, status: 'ok', reason: null })]);
    expect(show.collections[0].artifactIds).toHaveLength(1);
    // The artifact says what it is as data, where the label only says it in words.
    const kept = show.artifacts.find((a: { id: number }) => a.id === show.collections[0].artifactIds[0]);
    expect(kept.attributes).toEqual({
      target: url,
      endpoint: `${url}/user/debug/pprof/goroutineleak?debug=2`,
      profile: 'goroutineleak',
      debug: '2',
      sample: 1,
      samples: 1,
      round: expect.stringMatching(/^gather\d+$/),
    });
  });

  it('skips the action with a recorded reason when the service does not serve it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gotriage-leakproof-'));
    const url = await startDemo(dir, {});
    const { show, report } = await triage(dir, url);
    expect(show.findings.filter((f: { kind: string }) => f.kind === 'collection-failure')).toEqual([]);
    expect(show.timeline).toContainEqual(
      expect.objectContaining({
        kind: 'action-skipped',
        action: 'leaked',
        target: url,
        reason: expect.stringMatching(/not served by this service/),
      }),
    );
    expect(show.collections).toEqual([expect.objectContaining({ actionId: 'leaked', target: url, status: 'not-served', artifactIds: [] })]);
    // The postmortem's Collection row names the action (it once printed `| <target> | — | skipped |`).
    const row = new RegExp(
      `^\\| ${url.replace(/[.]/g, '\\.')} \\| leaked \\| not served \\| nothing \\| goroutineleak debug=2 is not served by this service`,
      'm',
    );
    expect(report).toMatch(row);
  });
});

/**
 * The fix step keeps the fix's diff: with no commit named, the uncommitted change in
 * the service's repository, staged or not — and the postmortem shows it.
 */
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareWorkspace } from '../../src/demo/workspace.js';
import { cli, repoRoot } from '../helpers/cli.js';
import { demoServiceDir, startDemoService, type DemoFixture } from '../helpers/demo-service.js';

let demo: DemoFixture;
beforeAll(async () => {
  demo = await startDemoService();
});
afterAll(async () => demo?.stop());

describe('fix step', () => {
  it('records the uncommitted change in --service-dir, staged and unstaged, as the fix diff when no commit is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gotriage-fixdiff-'));
    const repo = join(dir, 'svc');
    await prepareWorkspace(demoServiceDir, repo);
    appendFileSync(join(repo, 'export.go'), '\n// fixUnderTest: an uncommitted change the postmortem must show\n');
    // An engineer often `git add`s the fix before naming a commit: a staged change is part of it.
    appendFileSync(join(repo, 'main.go'), '\n// stagedFixUnderTest: staged, not committed\n');
    await execa('git', ['-C', repo, 'add', 'main.go']);
    const db = join(dir, 'g.db');
    const result = await cli(
      [
        'start',
        '--playbook',
        join(repoRoot, 'test/fixtures/playbooks/quick-go-service.yaml'),
        '--target',
        demo.service.url,
        '--pprof-base',
        '/user/debug/pprof',
        '--service-dir',
        repo,
        '--answer',
        'alert.summary=leak',
        '--answer',
        'fix.summary=edited export.go',
        '--non-interactive',
        '--out',
        join(dir, 'pm'),
      ],
      { db },
    );
    expect(result.exitCode, result.all).toBe(0);
    const report = readFileSync(result.stdout.trim(), 'utf8');
    expect(report).toContain('+// fixUnderTest: an uncommitted change the postmortem must show');
    expect(report).toContain('+// stagedFixUnderTest: staged, not committed');
    const id = /inc-[0-9a-f]+/.exec(result.stdout)![0];
    const show = JSON.parse((await cli(['show', id, '--json'], { db })).stdout);
    expect(show.fixes[0]).toMatchObject({ summary: 'edited export.go', commit: null, verified: null });
    expect(show.fixes[0].diffArtifactId).toEqual(expect.any(Number));
  });
});

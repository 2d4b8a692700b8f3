/**
 * One end-to-end run in a real terminal: tmux gives the built CLI a pty, the test
 * types answers at @inquirer/prompts' questions and reads the screen back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, binPath, repoRoot } from '../helpers/cli.js';
import { startDemoService, type DemoFixture } from '../helpers/demo-service.js';
import { hasTool } from '../helpers/tools.js';

const haveTmux = hasTool('tmux', ['-V']);
const session = `gotriage-e2e-${process.pid}`;
let demo: DemoFixture;

beforeAll(async () => {
  if (!haveTmux) return;
  assertBuilt();
  demo = await startDemoService();
});
afterAll(async () => {
  await execa('tmux', ['kill-session', '-t', session], { reject: false });
  await demo?.stop();
});

const screen = async () => (await execa('tmux', ['capture-pane', '-p', '-t', session, '-S', '-200'])).stdout;

async function waitForScreen(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`screen never showed ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!haveTmux)('interactive session in a terminal', () => {
  it('asks the playbook questions, takes typed answers and writes the postmortem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gotriage-tty-'));
    const playbook = join(repoRoot, 'test/fixtures/playbooks/quick-go-service.yaml');
    const argv = [
      process.execPath,
      binPath,
      'start',
      '--playbook',
      playbook,
      '--target',
      demo.service.url,
      '--pprof-base',
      '/user/debug/pprof',
      '--out',
      join(dir, 'pm'),
    ];
    const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    await execa('tmux', [
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '160',
      '-y',
      '50',
      `env GOTRIAGE_DB='${join(dir, 'g.db')}' NO_COLOR=1 ${quoted}; echo "EXIT=$?"; sleep 60`,
    ]);

    await waitForScreen(/What happened\?/);
    await execa('tmux', ['send-keys', '-t', session, '-l', 'goroutines climbing since 02:50']);
    await execa('tmux', ['send-keys', '-t', session, 'Enter']);
    await waitForScreen(/What did you change\?/, 90_000);
    await execa('tmux', ['send-keys', '-t', session, '-l', 'nothing yet, investigating']);
    await execa('tmux', ['send-keys', '-t', session, 'Enter']);
    const final = await waitForScreen(/EXIT=\d+/, 90_000);

    expect(final).toContain('EXIT=0');
    const reportPath = /\/\S+\/pm\/inc-[0-9a-f]+\.md/.exec(final)?.[0];
    expect(reportPath, final).toBeDefined();
    const report = readFileSync(reportPath!, 'utf8');
    expect(report).toContain('goroutines climbing since 02:50');
    expect(report).toContain('nothing yet, investigating');
    expect(report).toContain('main.renderExport');
  });
});

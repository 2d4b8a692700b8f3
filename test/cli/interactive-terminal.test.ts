/**
 * End-to-end runs in a real terminal: tmux gives the built CLI a pty, the test types
 * answers (and Ctrl-C) at @inquirer/prompts' questions and reads the screen back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, binPath, cli, repoRoot } from '../helpers/cli.js';
import { startDemoService, type DemoFixture } from '../helpers/demo-service.js';
import { hasTool } from '../helpers/tools.js';

const haveTmux = hasTool('tmux', ['-V']);
/** The tmux session the test looks at now; every one made is killed after the test. */
let session = `gotriage-e2e-${process.pid}`;
const sessions: string[] = [];
let demo: DemoFixture;

beforeAll(async () => {
  if (!haveTmux) return;
  assertBuilt();
  demo = await startDemoService();
});
afterAll(async () => {
  await demo?.stop();
});
afterEach(async () => {
  // Newest first: killing the last session ends the tmux server, which is then not needed.
  for (const name of sessions.splice(0).reverse()) await execa('tmux', ['kill-session', '-t', name], { reject: false });
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

/** Runs argv in a new tmux session (a real pty); the shell prints `EXIT=<code>` when it ends. */
async function inTerminal(argv: string[], db: string): Promise<void> {
  session = `gotriage-e2e-${process.pid}-${sessions.length}`;
  sessions.push(session);
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
    `env GOTRIAGE_DB='${db}' NO_COLOR=1 ${quoted}; echo "EXIT=$?"; sleep 60`,
  ]);
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
    await inTerminal(argv, join(dir, 'g.db'));

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

  it('Ctrl-C at a prompt: exit 130, the step is interrupted and the screen says how to resume; Ctrl-C at the resume question too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gotriage-tty-'));
    const db = join(dir, 'g.db');
    const playbook = join(repoRoot, 'test/fixtures/playbooks/quick-go-service.yaml');
    const common = ['--out', join(dir, 'pm')];
    await inTerminal(
      [
        process.execPath,
        binPath,
        'start',
        '--playbook',
        playbook,
        '--target',
        demo.service.url,
        '--pprof-base',
        '/user/debug/pprof',
        ...common,
      ],
      db,
    );
    await waitForScreen(/What happened\?/);
    await execa('tmux', ['send-keys', '-t', session, '-l', 'half an answ']);
    await execa('tmux', ['send-keys', '-t', session, 'C-c']);
    const first = await waitForScreen(/EXIT=\d+/);
    const list = JSON.parse((await cli(['list', '--json'], { db })).stdout) as { id: string }[];
    const id = list[0]!.id;
    expect(first).toContain('EXIT=130');
    expect(first).toContain(`resume with: gotriage resume ${id}`);
    const steps = async () =>
      (JSON.parse((await cli(['show', id, '--json'], { db })).stdout) as { steps: { step: string; status: string; reason: string }[] })
        .steps;
    expect(await steps()).toEqual([
      expect.objectContaining({ step: 'alert', status: 'interrupted', reason: "interrupted while asking 'alert.summary'" }),
    ]);

    await inTerminal([process.execPath, binPath, 'resume', id, ...common], db);
    await waitForScreen(/The alert step was interrupted .* Run it again\?/);
    await execa('tmux', ['send-keys', '-t', session, 'C-c']);
    const second = await waitForScreen(/EXIT=\d+/);
    expect(second).toContain('EXIT=130');
    expect(second).toContain(`resume with: gotriage resume ${id}`);
    // Nothing was started by the question: the alert step still has its one, interrupted run.
    expect((await steps()).map((s) => `${s.step}:${s.status}`)).toEqual(['alert:interrupted']);
  }, 120_000);
});

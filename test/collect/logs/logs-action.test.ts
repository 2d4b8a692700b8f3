import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { logFindings } from '../../../src/analyze/log-findings.ts';
import { runLogsAction } from '../../../src/engine/actions/logs-action.ts';
import { logsActionSchema } from '../../../src/playbook/schema.ts';
import { openStore } from '../../../src/store/open.ts';
import type { Store } from '../../../src/store/store.ts';
import { LOG_VERSIONS, capturedLines, capturedLog, phaseOf, tempDir, windowAroundPhase } from './support.ts';
import { makeStepEnv } from '../../helpers/step-env.ts';

process.env.TZ = 'UTC'; // the zone the captures were written in

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

/** A StepEnv over a real SQLite store and the real Runner, with the given step params. */
async function stepEnv(params: Record<string, string>) {
  const dir = tempDir('logs-action');
  const store = openStore({ path: join(dir, 'gotriage.db') });
  stores.push(store);
  const env = await makeStepEnv(store, dir, { params, title: 'checkout errors' });
  const stepRun = await store.startStep(env.incident.id, 'gather');
  return { env, store, stepRunId: stepRun.id, log: env.log, dir };
}

const V = LOG_VERSIONS[0];
const lines = capturedLines('slog-json', V);
const phase2 = windowAroundPhase(lines, 'slog-json', 2);
const windowParams = { 'window.start': phase2.start, 'window.end': phase2.end };
const expectedKept = lines.slice(
  lines.findIndex((l) => phaseOf(l) === 2),
  lines.findIndex((l) => phaseOf(l) === 3),
);

describe('logs action', () => {
  it('keeps one windowed artifact per file source, rotated siblings included, and notes missing files', async () => {
    const { env, store, stepRunId } = await stepEnv({ ...windowParams, logDir: '' });
    const logDir = tempDir('var-log');
    const half = Math.floor(lines.length / 2);
    writeFileSync(join(logDir, 'checkout.log.1.gz'), gzipSync(lines.slice(0, half).join('\n') + '\n'));
    writeFileSync(join(logDir, 'checkout.log'), lines.slice(half).join('\n') + '\n');
    env.params.logDir = logDir;
    const action = logsActionSchema.parse({ id: 'app-logs', kind: 'logs', files: ['{{logDir}}/*.log', '{{logDir}}/absent-*.log'] });

    const outcome = await runLogsAction(env, stepRunId, action, 'r1');

    expect(outcome.failures).toBe(0);
    expect(outcome.artifacts).toHaveLength(1);
    const [artifact] = await store.artifacts(env.incident.id);
    expect(artifact).toMatchObject({
      mediaType: 'text/x-log; format=slog-json',
      label: `log ${join(logDir, 'checkout.log')} (+1 rotated)`,
    });
    expect(readFileSync(artifact!.path, 'utf8')).toBe(expectedKept.join('\n') + '\n');
    expect(outcome.events).toContainEqual(
      expect.objectContaining({ kind: 'warning', action: 'app-logs', text: `no file matches ${logDir}/absent-*.log` }),
    );

    // The analysis of what was kept: phase 2 has `timeout after 31ms` and `timeout after 2s`.
    const timeouts = (await logFindings(await store.artifacts(env.incident.id))).filter((f) => f.title.includes('timeout after'));
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]).toMatchObject({ kind: 'log-errors', metrics: { count: 2 }, artifactIds: [artifact!.id] });
  });

  it('runs a command through the Runner, windows its stdout, records the run, and redacts credentials in argv', async () => {
    const { env, store, stepRunId } = await stepEnv(windowParams);
    const secretUrl = 'https://admin:hunter2@127.0.0.1:9/logs';
    // cat prints the capture, then fails on the URL (no such file): exit 1, output kept.
    const action = logsActionSchema.parse({
      id: 'cmd-logs',
      kind: 'logs',
      command: { tool: 'cat', args: [capturedLog('slog-json', V), secretUrl] },
    });

    const outcome = await runLogsAction(env, stepRunId, action, 'r1');

    const artifacts = await store.artifacts(env.incident.id);
    const log = artifacts.find((a) => a.mediaType.startsWith('text/x-log'))!;
    expect(readFileSync(log.path, 'utf8')).toBe(expectedKept.join('\n') + '\n');
    expect(log.label).toContain('cat ');
    const [run] = await store.toolRuns(env.incident.id);
    expect(run).toMatchObject({ actionId: 'cmd-logs', exitCode: 1, stdoutArtifactId: log.id });
    expect(outcome.failures).toBe(1);
    const everything = JSON.stringify({ artifacts: artifacts.map((a) => a.label), run, events: outcome.events });
    expect(everything).not.toContain('hunter2');
    expect(everything).toContain('127.0.0.1:9/logs');
  });

  it('refuses a window bound that is not an RFC 3339 time, naming the parameter', async () => {
    const { env, stepRunId } = await stepEnv({ 'window.start': 'yesterday' });
    const action = logsActionSchema.parse({ id: 'x', kind: 'logs', files: ['/nonexistent/*.log'] });
    await expect(runLogsAction(env, stepRunId, action, 'r1')).rejects.toThrow(/window\.start is "yesterday", not an RFC 3339 time/);
  });
});

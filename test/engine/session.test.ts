/**
 * The session loop over a real store, with scripted steps: pause and resume, each back-edge,
 * the round bound, a failing step, Ctrl-C, and snapshots that cannot be read.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { InterruptedError, StoreError } from '../../src/core/errors.js';
import { createMemoryLogger } from '../../src/core/log.js';
import type { StepId } from '../../src/core/model.js';
import { runSession, type StepTable } from '../../src/engine/session.js';
import { SNAPSHOT_VERSION } from '../../src/engine/session-snapshot.js';
import type { SessionOptions, StepEnv, StepFn, StepSummary } from '../../src/engine/types.js';
import { createScriptedPrompter } from '../../src/prompt/scripted.js';
import type { Store } from '../../src/store/store.js';
import { createRunner } from '../../src/exec/create-runner.js';
import { makeTempDir, openTestStore, sampleIncident } from '../store/store-helpers.ts';

const STEPS: StepId[] = ['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'postmortem'];

type Script = (step: StepId, visit: number, env: StepEnv) => Partial<StepSummary> | Promise<Partial<StepSummary>>;

/** A step table that records each visit and ends every step as `script` says. */
function scripted(script: Script = () => ({})): { steps: StepTable; visits: StepId[] } {
  const visits: StepId[] = [];
  const fn =
    (step: StepId): StepFn =>
    async (env) => {
      visits.push(step);
      const { status: _status, ...rest } = await script(step, visits.filter((s) => s === step).length, env);
      return { summary: { status: 'finished', ...rest }, evidence: {} };
    };
  const steps = Object.fromEntries(STEPS.map((step) => [step, fn(step)])) as StepTable;
  return { steps, visits };
}

interface EnvOptions {
  options?: Partial<SessionOptions>;
  answers?: Record<string, string | boolean>;
  signal?: AbortSignal;
}

async function newIncident(store: Store) {
  return store.createIncident(sampleIncident(), null, 'alert');
}

async function envFor(store: Store, incidentId: string, { options = {}, answers = {}, signal }: EnvOptions = {}): Promise<StepEnv> {
  const incident = (await store.getIncident(incidentId))!;
  return {
    ctx: {
      store,
      runner: undefined as never,
      prompter: createScriptedPrompter(answers, { source: 'the test' }),
      clock: systemClock,
      log: createMemoryLogger(),
    },
    incident,
    playbook: undefined as never,
    options: { skip: {}, outDir: '/nonexistent', maxRounds: 3, ...options },
    params: {},
    targets: [],
    scratchDir: '/nonexistent',
    signal: signal ?? new AbortController().signal,
  };
}

const confirmAndVerify: Script = (step) => (step === 'hypothesize' ? { confirmed: 1 } : step === 'fix' ? { verified: true } : {});

describe('the session loop', () => {
  it('walks the six steps, committing each end with the next state', async () => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    const { steps, visits } = scripted(confirmAndVerify);
    await expect(runSession(await envFor(store, id), steps)).resolves.toEqual({ kind: 'done', incidentId: id, reportPath: null });
    expect(visits).toEqual(STEPS);
    expect((await store.stepRuns(id)).map((r) => [r.step, r.status])).toEqual(STEPS.map((s) => [s, 'finished']));
    expect(await store.getIncident(id)).toMatchObject({ state: 'done', status: 'done' });
    expect(await store.latestSnapshot(id)).toMatchObject({ version: SNAPSHOT_VERSION, state: 'done' });
    const transitions = (await store.timeline(id)).flatMap((e) => (e.kind === 'transition' ? [`${e.from} → ${e.to}`] : []));
    expect(transitions).toEqual([
      'start → alert',
      'alert → gather',
      'gather → analyze',
      'analyze → hypothesize',
      'hypothesize → fix',
      'fix → postmortem',
      'postmortem → done',
    ]);
  });

  it('pauses before the --until step, and a resume runs that step and goes on', async () => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    const first = scripted(confirmAndVerify);
    await expect(runSession(await envFor(store, id, { options: { until: 'analyze' } }), first.steps)).resolves.toEqual({
      kind: 'paused',
      incidentId: id,
      at: 'analyze',
    });
    expect(first.visits).toEqual(['alert', 'gather']);
    expect(await store.getIncident(id)).toMatchObject({ state: 'analyze', status: 'active' });

    const second = scripted(confirmAndVerify);
    await runSession(await envFor(store, id, { options: { until: 'analyze' } }), second.steps);
    expect(second.visits).toEqual(['analyze', 'hypothesize', 'fix', 'postmortem']);
  });

  it('goes back to analyze when nothing is confirmed, and back to hypothesize when the fix is not verified', async () => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    const { steps, visits } = scripted((step, visit) =>
      step === 'hypothesize' ? { confirmed: visit === 1 ? 0 : 1 } : step === 'fix' ? { verified: visit > 1 } : {},
    );
    await runSession(await envFor(store, id), steps);
    expect(visits).toEqual([
      'alert',
      'gather',
      'analyze',
      'hypothesize',
      'analyze',
      'hypothesize',
      'fix',
      'hypothesize',
      'fix',
      'postmortem',
    ]);
    const attempts = (await store.stepRuns(id)).filter((r) => r.step === 'hypothesize').map((r) => r.attempt);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('writes the postmortem after --max-rounds of refuted hypotheses', async () => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    const { steps, visits } = scripted((step) => (step === 'hypothesize' ? { confirmed: 0 } : {}));
    await runSession(await envFor(store, id, { options: { maxRounds: 2 } }), steps);
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'analyze', 'hypothesize', 'postmortem']);
  });

  it('records a failing step as failed, stays in it, and a resume that agrees runs it again', async () => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    const broken = scripted((step) => {
      if (step === 'analyze') throw new Error('the profile decoder fell over');
      return {};
    });
    await expect(runSession(await envFor(store, id), broken.steps)).rejects.toThrow('the profile decoder fell over');
    expect(await store.getIncident(id)).toMatchObject({ state: 'analyze', status: 'active' });
    expect((await store.stepRuns(id)).at(-1)).toMatchObject({ step: 'analyze', status: 'failed', reason: 'the profile decoder fell over' });

    const declined = scripted(confirmAndVerify);
    await runSession(await envFor(store, id, { answers: { 'resume.rerun': false } }), declined.steps);
    expect(declined.visits).toEqual(['hypothesize', 'fix', 'postmortem']);
    expect((await store.stepRuns(id)).filter((r) => r.step === 'analyze').map((r) => r.status)).toEqual(['failed', 'skipped']);
  });

  it('re-runs the failed step when the resume answers yes', async () => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    await expect(
      runSession(await envFor(store, id), scripted((step) => (step === 'gather' ? Promise.reject(new Error('disk on fire')) : {})).steps),
    ).rejects.toThrow('disk on fire');
    const again = scripted(confirmAndVerify);
    await runSession(await envFor(store, id, { answers: { 'resume.rerun': true } }), again.steps);
    expect(again.visits).toEqual(['gather', 'analyze', 'hypothesize', 'fix', 'postmortem']);
  });

  it('ends with an interrupted step and a resume hint after Ctrl-C', async () => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    const ctrlC = new AbortController();
    const { steps } = scripted((step) => {
      if (step === 'gather') ctrlC.abort(new Error('SIGINT'));
      return {};
    });
    const ended = runSession(await envFor(store, id, { signal: ctrlC.signal }), steps);
    await expect(ended).rejects.toBeInstanceOf(InterruptedError);
    await expect(ended).rejects.toMatchObject({ hint: `resume with: gotriage resume ${id}` });
    expect((await store.stepRuns(id)).map((r) => [r.step, r.status])).toEqual([
      ['alert', 'finished'],
      ['gather', 'interrupted'],
    ]);
    expect(await store.getIncident(id)).toMatchObject({ state: 'gather' });
  });

  it('records every tool a step starts against that step run, and ends the record once the tool is done', async () => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    const scratch = makeTempDir();
    const { steps } = scripted(async (step, _visit, env) => {
      if (step === 'gather' || step === 'analyze') await env.ctx.runner.run(['true', step], { outputDir: scratch, name: `${step}-tool` });
      return confirmAndVerify(step, 1, env);
    });
    const env = await envFor(store, id);
    await runSession({ ...env, ctx: { ...env.ctx, runner: createRunner() } }, steps);
    const runs = await store.stepRuns(id);
    const records = await store.processes(id);
    expect(records.map((p) => [runs.find((r) => r.id === p.stepRunId)?.step, p.name, p.argv, p.endReason, p.exitCode])).toEqual([
      ['gather', 'gather-tool', ['true', 'gather'], 'exited', 0],
      ['analyze', 'analyze-tool', ['true', 'analyze'], 'exited', 0],
    ]);
    expect(records.every((p) => p.pid !== null && p.pgid === p.pid)).toBe(true);
    expect(await store.processes(id, { running: true })).toEqual([]);
  });

  it('resumes from a snapshot an earlier gotriage wrote in xstate’s own format', async () => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    const xstateV1 = {
      status: 'active',
      value: 'hypothesize',
      historyValue: {},
      context: {
        incidentId: id,
        maxRounds: 3,
        analyzeRounds: 0,
        fixRounds: 0,
        last: { step: 'analyze', stepRunId: 3, status: 'finished' },
      },
      children: { runStep: { snapshot: { status: 'active', input: { step: 'hypothesize', incidentId: id } }, src: 'runStep' } },
    };
    await store.commitTransition({ incidentId: id, snapshot: xstateV1, state: 'hypothesize' });
    const { steps, visits } = scripted(confirmAndVerify);
    await runSession(await envFor(store, id), steps);
    expect(visits).toEqual(['hypothesize', 'fix', 'postmortem']);
  });

  it.each([
    ['garbage', { garbage: 1 }, /cannot be read: it has no version/],
    ['a renamed state', { version: SNAPSHOT_VERSION, state: 'analyse', context: {} }, /cannot be read: .* at state/],
    [
      'a wrong type',
      {
        version: SNAPSHOT_VERSION,
        state: 'gather',
        context: { incidentId: 'x', maxRounds: 3, analyzeRounds: 'lots', fixRounds: 0, last: null },
      },
      /at context\.analyzeRounds/,
    ],
    ['a string', 'not json at all', /cannot be read: it is string, not an object/],
    ['a newer version', { version: SNAPSHOT_VERSION + 1, state: 'gather' }, /saved by a newer gotriage/],
  ])('refuses %s as a snapshot with a message, running nothing', async (_name, snapshot, message) => {
    const store = openTestStore();
    const { id } = await newIncident(store);
    await store.commitTransition({ incidentId: id, snapshot, state: 'gather' });
    const { steps, visits } = scripted();
    const ended = runSession(await envFor(store, id), steps);
    await expect(ended).rejects.toBeInstanceOf(StoreError);
    await expect(ended).rejects.toThrow(message);
    await expect(ended).rejects.toMatchObject({ hint: expect.stringContaining(`gotriage show ${id}`) });
    expect(visits).toEqual([]);
  });
});

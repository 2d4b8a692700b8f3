/**
 * The `escape` action (analyze step): `go build -trimpath -gcflags=-m=2` of the service's
 * packages, kept as evidence. Its findings come from analyzeArtifacts like every other
 * artifact's (src/analyze/escape-artifacts.ts), joined with a heap profile when the step
 * has one — so they are not taken from the run result here, which would count them twice.
 */
import { runEscapeAnalysis } from '../../analyze/escape-run.js';
import { MediaType } from '../../core/model.js';
import { fillArgs } from '../../playbook/interpolate.js';
import { parseDuration, type EscapeAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import { keepArtifact } from './keep-artifact.js';
import { recordCollection, type ActionOutcome } from './outcome.js';

export async function runEscapeAction(env: StepEnv, stepRunId: number, action: EscapeAction, round: string): Promise<ActionOutcome> {
  const where = `action ${action.id}`;
  const startedAt = env.ctx.clock.now().toISOString();
  const [dir, ...packages] = fillArgs([action.cwd, ...action.packages], env.params, where) as [string, ...string[]];
  env.ctx.log.info(`  escape analysis of ${packages.join(' ')} (in ${dir})`);
  const result = await runEscapeAnalysis({
    dir,
    packages,
    runner: env.ctx.runner,
    outputDir: env.scratchDir,
    signal: env.signal,
    timeoutMs: action.timeout ? parseDuration(action.timeout) : undefined,
  });
  const [diagnostics, goList] = result.artifactPaths as [string, string];
  const attributes = { packages, round };
  const artifacts = [
    await keepArtifact(env, {
      stepRunId,
      actionId: action.id,
      sourcePath: diagnostics,
      mediaType: MediaType.goEscape(result.modulePath),
      label: `go build -gcflags=-m=2 ${packages.join(' ')}`,
      attributes,
    }),
    await keepArtifact(env, {
      stepRunId,
      actionId: action.id,
      sourcePath: goList,
      mediaType: MediaType.goList,
      label: `go list ${packages.join(' ')}`,
      attributes,
    }),
  ];
  await recordCollection(env, stepRunId, action.id, { target: null, status: 'ok', artifacts, startedAt });
  return { artifacts, events: [], failures: 0 };
}

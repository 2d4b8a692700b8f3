/**
 * The `deps` action (analyze step): the package dependency graph as DOT, Mermaid and SVG,
 * with the packages this step's findings name highlighted. The analyze step runs it after
 * the other actions' findings exist and hands them in as `env.findings`. Without graphviz
 * the graph is kept as DOT and Mermaid and the missing picture is recorded.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dependencyGraph } from '../../analyze/deps.js';
import { ToolMissingError } from '../../core/errors.js';
import { MediaType } from '../../core/model.js';
import { fillArgs } from '../../playbook/interpolate.js';
import { parseDuration, type DepsAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import type { ArtifactAttributes } from '../../store/store.js';
import { keepArtifact } from './keep-artifact.js';
import { eventNow, recordCollection, type ActionOutcome } from './outcome.js';

export async function runDepsAction(env: StepEnv, stepRunId: number, action: DepsAction, round: string): Promise<ActionOutcome> {
  const startedAt = env.ctx.clock.now().toISOString();
  const [dir] = fillArgs([action.cwd], env.params, `action ${action.id}`) as [string];
  const options = {
    dir,
    runner: env.ctx.runner,
    outputDir: env.scratchDir,
    signal: env.signal,
    std: action.std,
    findings: env.findings ?? [],
    timeoutMs: action.timeout ? parseDuration(action.timeout) : undefined,
  };
  const outcome: ActionOutcome = { artifacts: [], events: [], failures: 0 };
  let graph: Awaited<ReturnType<typeof dependencyGraph>>;
  let noPicture: string | null = null;
  try {
    graph = await dependencyGraph(options);
  } catch (error) {
    if (!(error instanceof ToolMissingError)) throw error;
    graph = await dependencyGraph({ ...options, svg: false });
    noPicture = `${error.message}: the dependency graph is kept as DOT and Mermaid, without a picture (${error.hint ?? ''})`;
    outcome.events.push(eventNow(env, { kind: 'warning', action: action.id, text: noPicture }));
  }
  const keep = async (sourcePath: string, mediaType: string, label: string, attributes: ArtifactAttributes = { round }) =>
    outcome.artifacts.push(await keepArtifact(env, { stepRunId, actionId: action.id, sourcePath, mediaType, label, attributes }));
  const graphAttributes: ArtifactAttributes = { role: 'dependency-graph', round };
  const write = (name: string, text: string) => {
    const path = join(env.scratchDir, `${action.id}-${round}.${name}`);
    writeFileSync(path, text);
    return path;
  };
  await keep(graph.listPath, MediaType.goList, 'go list -deps');
  await keep(write('dot', graph.dot), MediaType.dot, 'dependency graph (DOT)', graphAttributes);
  await keep(write('mmd', graph.mermaid), MediaType.mermaid, 'dependency graph (Mermaid)', graphAttributes);
  if (graph.svgPath) await keep(graph.svgPath, MediaType.svg, 'dependency graph', graphAttributes);
  await recordCollection(env, stepRunId, action.id, {
    target: null,
    status: 'ok',
    reason: noPicture,
    artifacts: outcome.artifacts,
    startedAt,
  });
  return outcome;
}

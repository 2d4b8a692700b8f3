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
import { keepArtifact } from './keep-artifact.js';
import type { ActionOutcome } from './pprof-action.js';

export async function runDepsAction(env: StepEnv, stepRunId: number, action: DepsAction, round: string): Promise<ActionOutcome> {
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
  try {
    graph = await dependencyGraph(options);
  } catch (error) {
    if (!(error instanceof ToolMissingError)) throw error;
    graph = await dependencyGraph({ ...options, svg: false });
    outcome.events.push({
      at: env.ctx.clock.now().toISOString(),
      step: null,
      kind: 'warning',
      message: `${action.id}: ${error.message}: the dependency graph is kept as DOT and Mermaid, without a picture (${error.hint ?? ''})`,
    });
  }
  const keep = async (sourcePath: string, mediaType: string, label: string) =>
    outcome.artifacts.push(await keepArtifact(env, { stepRunId, actionId: action.id, sourcePath, mediaType, label }));
  const write = (name: string, text: string) => {
    const path = join(env.scratchDir, `${action.id}-${round}.${name}`);
    writeFileSync(path, text);
    return path;
  };
  await keep(graph.listPath, MediaType.goList, 'go list -deps');
  await keep(write('dot', graph.dot), MediaType.dot, 'dependency graph (DOT)');
  await keep(write('mmd', graph.mermaid), MediaType.mermaid, 'dependency graph (Mermaid)');
  if (graph.svgPath) await keep(graph.svgPath, MediaType.svg, 'dependency graph');
  return outcome;
}

/**
 * Pictures of the CPU profiles the analyze step read, kept as artifacts so the
 * postmortem shows them beside its text: a flame graph we draw ourselves (no standard
 * tool writes a static one) and pprof's call graph (needs graphviz `dot`; without it the
 * picture is left out and the timeline says why).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCallGraphSvg } from '../../analyze/callgraph.js';
import { decodeProfileFile } from '../../analyze/profile.js';
import { flameTreeOf } from '../../analyze/flame-tree.js';
import { ToolMissingError } from '../../core/errors.js';
import { MediaType, parseMediaType } from '../../core/model.js';
import { renderFlameGraphSvg } from '../../report/flamegraph-svg.js';
import type { StoredArtifact, TimelineEvent } from '../../store/store.js';
import { keepArtifact } from '../actions/keep-artifact.js';
import type { StepEnv } from '../types.js';

/** A CPU profile of the service itself: a benchmark's (`source: bench`) shows the benchmark, not production. */
function isServiceCpuProfile(artifact: StoredArtifact): boolean {
  const { type, params } = parseMediaType(artifact.mediaType);
  return type === 'application/vnd.google.pprof+gzip' && params.kind === 'profile' && artifact.attributes.source !== 'bench';
}

export async function drawProfilePictures(env: StepEnv, stepRunId: number, artifacts: readonly StoredArtifact[]): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  for (const artifact of artifacts.filter(isServiceCpuProfile)) {
    const name = `profile-${artifact.id}`;
    // A picture says what it shows: the profile it was drawn from, and that profile's target.
    const depicted = { of: artifact.id, ...(artifact.attributes.target !== undefined && { target: artifact.attributes.target }) };
    try {
      const flame = join(env.scratchDir, `${name}-flame.svg`);
      writeFileSync(
        flame,
        renderFlameGraphSvg(flameTreeOf(await decodeProfileFile(artifact.path)), { title: `CPU flame graph — ${artifact.label}` }),
      );
      await keepArtifact(env, {
        stepRunId,
        actionId: 'pictures',
        sourcePath: flame,
        mediaType: MediaType.svg,
        label: `flame graph: ${artifact.label}`,
        attributes: { ...depicted, role: 'flame-graph' },
      });
      const graph = await renderCallGraphSvg(artifact.path, join(env.scratchDir, `${name}-callgraph.svg`), {
        runner: env.ctx.runner,
        signal: env.signal,
        logDir: env.scratchDir,
      });
      await keepArtifact(env, {
        stepRunId,
        actionId: 'pictures',
        sourcePath: graph,
        mediaType: MediaType.svg,
        label: `call graph: ${artifact.label}`,
        attributes: { ...depicted, role: 'call-graph' },
      });
    } catch (error) {
      if (env.signal.aborted) throw error;
      const why =
        error instanceof ToolMissingError
          ? `${error.message} (${error.hint ?? ''})`
          : error instanceof Error
            ? error.message
            : String(error);
      env.ctx.log.warn(`no picture of ${artifact.label}: ${why}`);
      events.push({
        at: env.ctx.clock.now().toISOString(),
        step: 'analyze',
        kind: 'warning',
        artifact: artifact.id,
        text: `no picture of ${artifact.label}: ${why}`,
      });
    }
  }
  return events;
}

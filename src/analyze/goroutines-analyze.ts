/**
 * Goroutine-dump artifacts → findings, exactly as analyzeArtifacts (src/analyze/index.ts)
 * computes them for `text/x-go-goroutines` artifacts, without loading the other analyzers.
 * `gotriage analyze dump.txt` uses it when every input is a goroutine dump: index.ts pulls
 * in the profile decoder, log, metric, race and escape analyzers (~100 ms of module
 * loading, as long as grouping a 200,000-goroutine dump takes).
 */
import type { Finding } from '../core/model.js';
import { parseMediaType } from '../core/model.js';
import type { StoredArtifact } from '../store/store.js';
import { goroutineFindings, type GoroutineSample } from './goroutine-findings.js';
import { parseGoroutineDump } from './goroutines.js';
import { mergeDuplicates, parseFailureFinding } from './finding-utils.js';

const GOROUTINES_TYPE = 'text/x-go-goroutines';

/** Whether {@link goroutineArtifactFindings} gives for `mediaType` what analyzeArtifacts gives. */
export function isGoroutineMediaType(mediaType: string): boolean {
  return parseMediaType(mediaType).type === GOROUTINES_TYPE;
}

/**
 * Findings for goroutine-dump artifacts: artifacts of the same action and media type are
 * samples of one endpoint, in `id` order (growth, leaks, large groups); one that does not
 * parse gives a `tool-failure` finding titled like analyzeArtifacts' (`could not parse …`).
 * Artifacts of other media types are ignored.
 */
export async function goroutineArtifactFindings(artifacts: readonly StoredArtifact[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const series = new Map<string, GoroutineSample[]>();
  for (const artifact of [...artifacts].sort((a, b) => a.id - b.id)) {
    if (!isGoroutineMediaType(artifact.mediaType)) continue;
    try {
      const dump = await parseGoroutineDump(artifact.path);
      const key = `${artifact.actionId}\u0000${artifact.mediaType}`;
      const samples = series.get(key) ?? [];
      samples.push({ artifactId: artifact.id, dump });
      series.set(key, samples);
    } catch (err) {
      findings.push(parseFailureFinding(artifact, err));
    }
  }
  for (const samples of series.values()) findings.push(...goroutineFindings(samples));
  return mergeDuplicates(findings);
}

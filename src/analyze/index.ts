/**
 * The analyze step's entry: stored artifacts → findings, each artifact read by the
 * parser its media type names (src/model.ts MediaType).
 */
import { redactSecrets } from '../core/redact.js';
import type { Finding } from '../core/model.js';
import { parseMediaType } from '../core/model.js';
import type { StoredArtifact } from '../store/store.js';
import { cpuFindingsFromFile } from './cpu-findings.js';
import { goroutineArtifactFindings } from './goroutines-analyze.js';
import { mergeDuplicates, parseFailureFinding } from './finding-utils.js';
import { decodeProfileFile } from './profile.js';
import { raceFindings } from './race-findings.js';
import { parseRaceOutput } from './race.js';
import { metricFindings } from './metric-findings.js';
import { logFindings } from './log-findings.js';
import { heapGrowthFindings, type HeapSample } from './heap-findings.js';
import { delayFindings } from './trace-contention.js';
import { escapeArtifactFindings } from './escape-artifacts.js';
import { benchFindings, parseBenchOutput } from './bench-findings.js';

export { parseGoroutineDump } from './goroutines.js';
export type { GoroutineDump, GoroutineFrame, GoroutineGroup } from './goroutines.js';
export { goroutineFindings } from './goroutine-findings.js';
export { parseRaceOutput } from './race.js';
export type { RaceOutput, RaceReport } from './race.js';
export { raceFindings } from './race-findings.js';
export { decodeProfileFile, topFunctions } from './profile.js';
export type { DecodedProfile, TopFunctionRow } from './profile.js';
export { cpuFindings } from './cpu-findings.js';
export { metricFindings } from './metric-findings.js';
export { logFindings } from './log-findings.js';
export { heapGrowthFindings } from './heap-findings.js';
export { escapeArtifactFindings } from './escape-artifacts.js';

/**
 * Findings for a set of artifacts:
 * - `application/vnd.google.pprof+gzip; kind=profile` → cpu-hotspot findings;
 * - `text/x-go-goroutines; debug=1|2` → goroutine findings; artifacts of the same action
 *   and media type are samples of one endpoint, taken in `id` order, for growth;
 * - `text/x-go-race` → data-race findings (none when the output holds no report).
 * Other media types (other profile kinds included) are skipped. An artifact that does
 * not parse gives a `tool-failure` finding naming it; this never throws for bad content.
 */
export async function analyzeArtifacts(artifacts: readonly StoredArtifact[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const heapSeries = new Map<string, HeapSample[]>();

  for (const artifact of [...artifacts].sort((a, b) => a.id - b.id)) {
    const { type, params } = parseMediaType(artifact.mediaType);
    try {
      // A benchmark's CPU profile shows the benchmarked function hot by construction: it
      // is evidence for the benchmark, not a production hotspot (`source=bench`).
      if (type === 'application/vnd.google.pprof+gzip' && params.kind === 'profile' && params.source !== 'bench') {
        findings.push(...(await cpuFindingsFromFile(artifact.id, artifact.path)));
      } else if (type === 'text/x-go-race') {
        findings.push(...raceFindings(artifact.id, await parseRaceOutput(artifact.path)));
      } else if (type === 'application/vnd.google.pprof+gzip' && params.kind === 'heap') {
        // Heap samples of one action, in id order, are compared for growth (like -diff_base).
        const series = `${artifact.actionId}\u0000${artifact.mediaType}`;
        const samples = heapSeries.get(series) ?? [];
        samples.push({ artifactId: artifact.id, profile: await decodeProfileFile(artifact.path) });
        heapSeries.set(series, samples);
      } else if (
        type === 'application/vnd.google.pprof+gzip' &&
        (params.kind === 'mutex' || params.kind === 'block') &&
        params.source !== 'bench'
      ) {
        findings.push(...delayFindings(artifact.id, await decodeProfileFile(artifact.path), params.kind));
      } else if (type === 'text/x-go-bench') {
        findings.push(...benchFindings(artifact.id, await parseBenchOutput(artifact.path)));
      }
    } catch (err) {
      findings.push(parseFailureFinding(artifact, err));
    }
  }
  for (const samples of heapSeries.values()) findings.push(...heapGrowthFindings(samples));
  // Analyzers that pick their own artifacts from the whole set (and never throw).
  for (const analyze of SET_ANALYZERS) {
    try {
      findings.push(...(await analyze(artifacts)));
    } catch (err) {
      // An artifact file that cannot be read at all (removed, unreadable): say so, go on.
      findings.push(setFailureFinding(analyze.name, err));
    }
  }
  return mergeDuplicates(findings);
}

/** Each reads the artifacts of its media types and turns unreadable ones into tool-failure findings. */
const SET_ANALYZERS: ((artifacts: readonly StoredArtifact[]) => Promise<Finding[]>)[] = [
  goroutineArtifactFindings,
  metricFindings,
  logFindings,
  escapeArtifactFindings,
];

function setFailureFinding(analyzer: string, err: unknown): Finding {
  return {
    kind: 'tool-failure',
    title: `${analyzer} could not read its artifacts`,
    severity: 'medium',
    metrics: {},
    detail: redactSecrets(err instanceof Error ? err.message : String(err)),
    artifactIds: [],
  };
}

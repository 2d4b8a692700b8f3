/**
 * Execution trace → `contention` findings: synchronization blocking (sync), scheduler
 * latency (sched), system calls (syscall) and network waits (net), each from the delay
 * profile `go tool trace -pprof` extracts (src/analyze/trace-pprof.ts).
 */
import type { Finding } from '../core/model.js';
import { delayFindings, type DelayFindingOptions } from './trace-contention.js';
import { extractTraceProfiles, type TraceProfileOptions } from './trace-pprof.js';

/**
 * Findings for one trace file, in the order sync, sched, syscall, net. Throws ToolError
 * when `go tool trace` cannot read the trace (a newer Go's trace, a truncated file).
 */
export async function traceFindings(
  artifactId: number,
  tracePath: string,
  options: TraceProfileOptions & DelayFindingOptions,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const { kind, profile } of await extractTraceProfiles(tracePath, options)) {
    findings.push(...delayFindings(artifactId, profile, kind, options));
  }
  return findings;
}

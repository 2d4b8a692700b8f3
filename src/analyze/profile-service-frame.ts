/**
 * Charging a profile sample to the service's own code: the innermost frame (inlined frames
 * included) of a function of the service (model.ts isUserFunction). A service that
 * allocates through bytes.Buffer or fmt has its bytes flat in the library; charged this
 * way they land on the service function that called it — what
 * `go tool pprof -show='<service functions>' -top` prints as flat.
 */
import { isUserFunction } from '../core/model.js';
import type { DecodedProfile, ProfileLine, ProfileSample } from './profile.js';

/** The innermost line of `sample` in a service function, or undefined when the stack has none. */
export function innermostServiceLine(sample: ProfileSample): ProfileLine | undefined {
  for (const loc of sample.locations) {
    for (const line of loc.lines) if (isUserFunction(line.func.name)) return line;
  }
  return undefined;
}

export interface ServiceCharge {
  func: string;
  /** Σ value of the samples charged to the function. */
  value: number;
  /** Of the profile's total (Σ|value| of every sample, pprof's report total). */
  pct: number;
}

/** Every service function's charge at sample type `index`, largest first (ties by name, like pprof). */
export function serviceCharges(profile: DecodedProfile, index: number): ServiceCharge[] {
  const charges = new Map<string, number>();
  let total = 0;
  for (const sample of profile.samples) {
    const value = sample.values[index] ?? 0;
    total += Math.abs(value);
    const line = innermostServiceLine(sample);
    if (line && value !== 0) charges.set(line.func.name, (charges.get(line.func.name) ?? 0) + value);
  }
  return [...charges]
    .map(([func, value]) => ({ func, value, pct: total > 0 ? (value / total) * 100 : 0 }))
    .sort((a, b) => b.value - a.value || (a.func < b.func ? -1 : a.func > b.func ? 1 : 0));
}

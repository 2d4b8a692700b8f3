/**
 * Choosing the sample type a report reads, like `go tool pprof -sample_index=…`
 * (google/pprof profile.SampleIndexByName).
 */
import { UsageError } from '../core/errors.js';
import type { DecodedProfile } from './profile.js';

/**
 * The sample index for `spec`: undefined → the profile's default (default_sample_type,
 * else the last type); a number or numeric string → that index; a name → the type of
 * that name, also accepting the legacy `inuse_` prefix (`inuse_space` for `space`).
 * Throws UsageError listing the available types.
 */
export function resolveSampleIndex(profile: DecodedProfile, spec?: string | number): number {
  if (spec === undefined || spec === '') return profile.defaultSampleIndex;
  const types = profile.sampleTypes.map((t) => t.type);
  const asNumber = typeof spec === 'number' ? spec : /^-?\d+$/.test(spec) ? Number(spec) : undefined;
  if (asNumber !== undefined) {
    if (!Number.isInteger(asNumber) || asNumber < 0 || asNumber >= types.length) {
      throw new UsageError(`sample_index ${spec} is outside the range [0..${types.length - 1}]`, `use one of: ${types.join(', ')}`);
    }
    return asNumber;
  }
  const name = String(spec);
  const noInuse = name.startsWith('inuse_') ? name.slice('inuse_'.length) : name;
  const i = types.findIndex((t) => t === name || t === noInuse);
  if (i < 0) throw new UsageError(`sample_index "${spec}" must be one of: ${types.join(', ')}`);
  return i;
}

/** The unit of a sample type, lower-cased as pprof does before scaling (report.NewDefault). */
export function sampleUnit(profile: DecodedProfile, sampleIndex: number): string {
  return (profile.sampleTypes[sampleIndex]?.unit ?? 'count').toLowerCase();
}

/**
 * Before/after comparison of two profiles, like `go tool pprof -top -diff_base=base current`:
 * per-function deltas (negative when a function shrank), percentages of the base total.
 */
import type { DecodedProfile } from './profile.js';
import { pprofTop, type PprofTop, type PprofTopOptions } from './profile-top.js';

/**
 * Per-function flat and cum of `current − base` at one sample type (name or index,
 * default: current's default), ordered and trimmed like `-top` (pass nodeCount /
 * nodeFraction / cum in `options`). The base is matched by sample type name, so a heap
 * profile diffs against a heap profile's same type. pprof prints the absolute value of
 * a negative delta's percentage; `flatPct`/`cumPct` are likewise ≥ 0 — the sign is on flat/cum.
 */
export function diffProfiles(
  base: DecodedProfile,
  current: DecodedProfile,
  sampleIndex?: string | number,
  options: Omit<PprofTopOptions, 'base' | 'sampleIndex'> = {},
): PprofTop {
  return pprofTop(current, { ...options, sampleIndex, base });
}

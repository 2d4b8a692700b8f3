/**
 * A profile's stacks merged into one tree, root first, for the flame graph the postmortem
 * shows (src/report/flamegraph-svg.ts draws it; this module is where profiles are read).
 */
import type { DecodedProfile } from './profile.js';
import { resolveSampleIndex, sampleUnit } from './profile-sample-index.js';

/** One merged frame: the same function reached through the same callers. */
export interface FlameNode {
  name: string;
  value: number;
  children: Map<string, FlameNode>;
}

export interface FlameTree {
  root: FlameNode;
  sampleType: string;
  unit: string;
}

/** The tree of one sample type (name or index, like `-sample_index`; default: the profile's default). */
export function flameTreeOf(profile: DecodedProfile, sampleIndex?: string | number): FlameTree {
  const index = resolveSampleIndex(profile, sampleIndex);
  return { root: buildFlameTree(profile, index), sampleType: profile.sampleTypes[index]!.type, unit: sampleUnit(profile, index) };
}

/**
 * Merges all stacks into one tree, root first. Inlined frames are expanded (the last
 * line of a location is the caller, so lines are walked from the end). Values are
 * taken as |value| so a diff profile still draws; zero samples are skipped.
 */
function buildFlameTree(profile: DecodedProfile, sampleIndex: number): FlameNode {
  const root: FlameNode = { name: 'all', value: 0, children: new Map() };
  for (const sample of profile.samples) {
    const v = Math.abs(sample.values[sampleIndex] ?? 0);
    if (v === 0) continue;
    root.value += v;
    let node = root;
    for (let i = sample.locations.length - 1; i >= 0; i--) {
      const loc = sample.locations[i]!;
      const names = loc.lines.length > 0 ? loc.lines.map((l) => l.func.name).reverse() : [`0x${loc.address.toString(16)}`];
      for (const name of names) {
        let child = node.children.get(name);
        if (!child) node.children.set(name, (child = { name, value: 0, children: new Map() }));
        child.value += v;
        node = child;
      }
    }
  }
  return root;
}

/**
 * pprof prints values with Go's fmt (`%.2f`, `%.2g`), which rounds an exact tie to even;
 * JS's toFixed rounds it up. The formatters are checked against a real Go program printing
 * the same numbers, ties and near-ties included.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatPprofPercent, goToFixed } from '../../src/core/pprof-units.ts';
import { tempDir } from '../analyze/support.ts';

const VALUES = [1219.125, 0.125, 0.375, 2.5, 3.5, 1.005, 12.345, 0.0125, 99.875, 1219.13, -0.125, -2.675, 0, 1e-7, 123456.785, 0.615];
/** value/total pairs whose percentage is an exact tie (or close to one) below and above 1%. */
const RATIOS: [number, number][] = [
  [1, 800],
  [3, 800],
  [1, 1600],
  [5, 8],
  [7, 16],
  [1, 3],
  [1, 7],
  [123, 1000000],
  [1, 1],
];

let go: { fixed: string[]; percent: string[] };

beforeAll(async () => {
  const dir = tempDir('goformat');
  const percentage = (v: number, t: number) => `measurement(${v}, ${t})`;
  writeFileSync(
    join(dir, 'main.go'),
    `package main

import (
	"fmt"
	"math"
)

// measurement mirrors github.com/google/pprof/internal/measurement.Percentage.
func measurement(value, total int64) string {
	var ratio float64
	if total != 0 {
		ratio = math.Abs(float64(value)/float64(total)) * 100
	}
	switch {
	case math.Abs(ratio) >= 99.95 && math.Abs(ratio) <= 100.05:
		return "  100%"
	case math.Abs(ratio) >= 1.0:
		return fmt.Sprintf("%5.2f%%", ratio)
	default:
		return fmt.Sprintf("%5.2g%%", ratio)
	}
}

func main() {
${VALUES.map((v) => `\tfmt.Println(fmt.Sprintf("%.2f", ${v === 0 ? '0.0' : v}))`).join('\n')}
	fmt.Println("--")
${RATIOS.map(([v, t]) => `\tfmt.Println(${percentage(v, t)})`).join('\n')}
}
`,
  );
  const { stdout } = await execa('go', ['run', 'main.go'], { cwd: dir });
  const [fixed, percent] = stdout.split('\n--\n');
  go = { fixed: fixed!.split('\n'), percent: percent!.split('\n') };
}, 120_000);

describe('Go number formatting', () => {
  it('goToFixed prints %.2f as Go does, ties to even', () => {
    expect(VALUES.map((v) => goToFixed(v, 2))).toEqual(go.fixed);
    // The case that differs from toFixed.
    expect(goToFixed(1219.125, 2)).toBe('1219.12');
  });

  it('formatPprofPercent prints measurement.Percentage as pprof does', () => {
    expect(RATIOS.map(([v, t]) => formatPprofPercent(v, t))).toEqual(go.percent);
  });
});

/**
 * Race detector reports → `data-race` findings, one per distinct race.
 */
import { basename } from 'node:path';
import type { Finding } from '../core/model.js';
import { topUserRaceFrame, type RaceAccess, type RaceFrame, type RaceOutput, type RaceReport } from './race.js';

/**
 * One high-severity `data-race` finding per deduplicated report, located at the current
 * access's top user frame. `metrics.reports` counts the identical reports it stands for.
 * Output with no race report gives no finding.
 */
export function raceFindings(artifactId: number, output: RaceOutput): Finding[] {
  return output.reports.map((report) => {
    const top = topUserRaceFrame(report.current.frames);
    return {
      kind: 'data-race',
      title: `data race: ${describeAccess(report.current)} vs ${report.previous ? describeAccess(report.previous) : 'an unknown access'}`,
      severity: 'high',
      location: top ? { func: top.func, file: top.file, line: top.line } : undefined,
      metrics: { reports: report.occurrences },
      detail: describeRace(report),
      artifactIds: [artifactId],
    } satisfies Finding;
  });
}

/** `write in main.(*stats).recordHit (main.go:16)` */
function describeAccess(access: RaceAccess): string {
  const f = topUserRaceFrame(access.frames);
  return f ? `${access.op} in ${f.func} (${basename(f.file)}:${f.line})` : `${access.op} (stack unavailable)`;
}

/** Both stacks and the goroutines' creation sites, as plain text. */
export function describeRace(report: RaceReport): string {
  const lines: string[] = [];
  const stack = (frames: readonly RaceFrame[]) => {
    if (frames.length === 0) lines.push('  [stack unavailable]');
    for (const f of frames) lines.push(`  ${f.func}  ${f.file}:${f.line}`);
  };
  const who = (a: RaceAccess) => (a.goroutine === 'main' ? 'main goroutine' : `goroutine ${a.goroutine}`);
  lines.push(`${capitalise(report.current.op)} by ${who(report.current)}:`);
  stack(report.current.frames);
  if (report.previous) {
    lines.push('', `Previous ${report.previous.op} by ${who(report.previous)}:`);
    stack(report.previous.frames);
  }
  for (const g of report.goroutines) {
    lines.push('', `Goroutine ${g.id} (${g.status}) created at:`);
    stack(g.createdAt);
  }
  if (report.tests.length > 0) lines.push('', `Failed tests: ${report.tests.join(', ')}`);
  if (report.occurrences > 1) lines.push('', `Reported ${report.occurrences} times.`);
  return lines.join('\n');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

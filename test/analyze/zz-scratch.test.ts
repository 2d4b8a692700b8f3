import { test } from 'vitest';
import { parseGoroutineDump } from '../../src/analyze/goroutines.ts';
import { parseRaceOutput } from '../../src/analyze/race.ts';
import { decodeProfileFile, topFunctions } from '../../src/analyze/profile.ts';
import { cpuFindings } from '../../src/analyze/cpu-findings.ts';
import { goroutineFindings } from '../../src/analyze/goroutine-findings.ts';
test('scratch', async () => {
const d = '/work/main/test/fixtures/captured/';
for (const v of ['go1.26.8','go1.23.5']) {
  for (const f of ['goroutines-debug2-late','goroutines-debug1-late','goroutines-sigquit','panic-traceback']) {
    const dump = await parseGoroutineDump(`${d}${f}.${v}.txt`);
    console.log(f, v, dump.format, dump.total, dump.groups.length, dump.preamble);
    for (const g of dump.groups.slice(0, 4)) console.log('  ', g.count, JSON.stringify(g.state), g.minWaitMinutes, g.maxWaitMinutes, g.topUserFrame?.func, g.topUserFrame?.line, g.createdBy?.func, g.frames.length);
  }
  const a = await parseGoroutineDump(`${d}goroutines-debug2-early.${v}.txt`);
  const b = await parseGoroutineDump(`${d}goroutines-debug2-late.${v}.txt`);
  console.log(goroutineFindings([{artifactId:1,dump:a},{artifactId:2,dump:b}]));
  const r = await parseRaceOutput(`${d}race-go-test.${v}.txt`);
  console.log(JSON.stringify(r).slice(0,300), r.reports.length, r.reports.map(x=>x.occurrences));
  const p = await decodeProfileFile(`${d}cpu-burner.${v}.pb.gz`);
  console.log(p.sampleTypes, p.defaultSampleIndex, topFunctions(p).slice(0,5));
  console.log(cpuFindings(3, p));
}
});

/**
 * The streaming reader's per-function totals and hot lines (profile-fast-functions.ts)
 * against the object decoder's (profile.ts topFunctions, cpu-findings.ts hottestLine) on
 * every captured profile of both Go versions, at every sample index; and the CPU findings
 * the analyze step now makes from a file without decoding it, against the decoder's.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/core/errors.ts';
import { cpuFindings, cpuFindingsFromFile, hottestLine } from '../../src/analyze/cpu-findings.ts';
import { decodeProfileFile, readProfileProto, topFunctions } from '../../src/analyze/profile.ts';
import { fastHottestLines, fastTopFunctions } from '../../src/analyze/profile-fast-functions.ts';
import { readFastTables } from '../../src/analyze/profile-fast-tables.ts';
import { CAPTURED, tempDir } from './support.ts';

const profiles = readdirSync(CAPTURED).filter((f) => f.endsWith('.pb.gz'));

describe.each(profiles)('%s', (file) => {
  const path = join(CAPTURED, file);

  it("has the decoder's function rows and hot lines at every sample index", async () => {
    const decoded = await decodeProfileFile(path);
    const proto = await readProfileProto(path);
    const tables = readFastTables(proto);
    for (let index = 0; index < decoded.sampleTypes.length; index++) {
      const expected = topFunctions(decoded, index);
      const { rows } = fastTopFunctions(proto, tables, index);
      expect(rows).toEqual(expected);
      const funcs = expected.slice(0, 8).map((r) => r.func);
      const lines = fastHottestLines(proto, tables, index, funcs);
      for (const func of funcs) expect([func, lines.get(func)]).toEqual([func, hottestLine(decoded, func, index)]);
    }
  });

  it("gives the decoder's CPU findings", async () => {
    expect(await cpuFindingsFromFile(7, path)).toEqual(cpuFindings(7, await decodeProfileFile(path)));
  });
});

describe('cpuFindingsFromFile on bad input', () => {
  it('names the file in a ToolError when it is not a profile', async () => {
    const path = join(tempDir('fast-functions'), 'login.html');
    writeFileSync(path, '<html><body>Sign in</body></html>');
    await expect(cpuFindingsFromFile(1, path)).rejects.toThrow(ToolError);
    await expect(cpuFindingsFromFile(1, path)).rejects.toThrow(/login\.html/);
  });
});

it('finds CPU hotspots in at least one captured profile, so the comparison above is not of empty lists', async () => {
  const found = await Promise.all(profiles.filter((f) => /cpu/.test(f)).map((f) => cpuFindingsFromFile(1, join(CAPTURED, f))));
  expect(found.flat().length).toBeGreaterThan(0);
});

/**
 * Optional tools (dlv, dot, prlimit): tests that need one skip with a printed reason
 * when it is missing — except in CI, where .ci/run sets GOTRIAGE_REQUIRE_TOOLS=1 and a
 * missing tool fails the run instead, so nothing skips silently there.
 */
import { spawnSync } from 'node:child_process';

export function hasTool(name: string, versionArgs: string[] = ['--version']): boolean {
  const result = spawnSync(name, versionArgs, { stdio: 'ignore' });
  const found = result.error === undefined;
  if (!found) {
    if (process.env.GOTRIAGE_REQUIRE_TOOLS === '1') {
      throw new Error(`${name} is not on PATH, and GOTRIAGE_REQUIRE_TOOLS=1 forbids skipping the tests that need it`);
    }
    console.warn(`skipping the tests that need ${name}: it is not on PATH`);
  }
  return found;
}

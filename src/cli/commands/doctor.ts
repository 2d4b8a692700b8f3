/**
 * `gotriage doctor`: is each tool gotriage uses on PATH, which version, and what is
 * lost without it. Exit 1 when go (required) is missing.
 */
import { spawnSync } from 'node:child_process';
import { findExecutable } from '../../exec/which.js';
import { installHintFor } from '../../exec/install-hints.js';
import { stdoutWriter } from '../../core/terminal-writer.js';
import { flag, type Options } from '../options.js';

interface ToolCheck {
  tool: string;
  versionArgs: string[];
  required: boolean;
  without: string;
}

const TOOLS: ToolCheck[] = [
  {
    tool: 'go',
    versionArgs: ['version'],
    required: true,
    without: 'no race detector, no go test/bench, no go tool pprof: gotriage cannot triage',
  },
  { tool: 'dlv', versionArgs: ['version'], required: false, without: 'no debugger checks (breakpoints, goroutine inspection)' },
  { tool: 'dot', versionArgs: ['-V'], required: false, without: 'no call-graph SVG/PNG pictures in postmortems' },
  { tool: 'git', versionArgs: ['--version'], required: false, without: 'fix commits are recorded without their diff' },
];

/** First non-empty line the tool prints for its version (dot prints it on stderr). */
function versionOf(path: string, args: string[]): string {
  const result = spawnSync(path, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  const text = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? 'found, but it did not report a version'
  );
}

export async function doctorCommand(opts: Options): Promise<number> {
  const results = TOOLS.map((t) => {
    const path = findExecutable(t.tool);
    const version = path ? versionOf(path, t.versionArgs) : null;
    return {
      tool: t.tool,
      found: path !== undefined,
      path: path ?? null,
      version,
      required: t.required,
      without: t.without,
      install: installHintFor(t.tool),
    };
  });
  if (flag(opts, 'json')) {
    stdoutWriter().json(results);
  } else {
    for (const r of results) {
      if (r.found) stdoutWriter().line(`ok       ${r.tool.padEnd(4)} ${r.version} (${r.path})`);
      else
        stdoutWriter().line(`${r.required ? 'MISSING ' : 'missing '} ${r.tool.padEnd(4)} — ${r.without}\n         install: ${r.install}`);
    }
  }
  return results.some((r) => r.required && !r.found) ? 1 : 0;
}

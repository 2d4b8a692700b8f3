/**
 * Which version of an external tool is installed, for `gotriage doctor` and for the
 * report's "environment" section. Runs the tool's own version command through the Runner.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Runner } from './runner.js';

/** The command that prints each known tool's version. */
export const VERSION_ARGV: Readonly<Record<string, readonly string[]>> = {
  go: ['go', 'version'],
  dlv: ['dlv', 'version'],
  // Graphviz prints its version on stderr.
  dot: ['dot', '-V'],
  git: ['git', '--version'],
};

/** Per-tool patterns, checked on the captured outputs in test/fixtures/tool-version. */
const VERSION_PATTERNS: Readonly<Record<string, RegExp>> = {
  // "go version go1.26.8 linux/amd64"; a source build prints "go version devel go1.27-abc… …".
  go: /^go version ((?:devel )?go\S+)/m,
  // "Delve Debugger\nVersion: 1.27.2\nBuild: $Id: … $"
  dlv: /^Version:\s*(\S+)/m,
  // "dot - graphviz version 2.43.0 (0)"
  dot: /graphviz version (\S+)/,
  git: /^git version (\S+)/m,
};

const GENERIC_VERSION = /\bversion[:\s]+v?(\d+(?:\.\d+)+\S*)/i;
/** Version banners are a few lines; never read more than this of a misbehaving tool. */
const MAX_VERSION_OUTPUT_BYTES = 64 * 1024;

/**
 * Extract the version from a tool's version output (stdout and stderr joined). Unknown
 * tools fall back to "version X.Y…", then to the first non-empty line. Undefined when
 * the output is empty.
 */
export function parseToolVersion(tool: string, output: string): string | undefined {
  const pattern = VERSION_PATTERNS[path.basename(tool)];
  const match = (pattern ?? GENERIC_VERSION).exec(output) ?? GENERIC_VERSION.exec(output);
  if (match?.[1]) return match[1];
  const firstLine = output.split('\n').find((line) => line.trim() !== '');
  return firstLine?.trim();
}

export interface ToolVersionOptions {
  runner: Runner;
  /** Where the version command's output files go (they are small). */
  outputDir: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/**
 * Run the tool's version command and parse it. Rejects with ToolMissingError when the
 * tool is not installed (the caller decides whether that is fatal); resolves undefined
 * when the tool ran but failed or printed nothing recognisable.
 */
export async function readToolVersion(tool: string, options: ToolVersionOptions): Promise<string | undefined> {
  const name = path.basename(tool);
  const argv = VERSION_ARGV[name] ?? [name, '--version'];
  const result = await options.runner.run([tool, ...argv.slice(1)], {
    outputDir: options.outputDir,
    name: `${name}-version`,
    timeoutMs: options.timeoutMs ?? 30_000,
    env: options.env,
  });
  if (result.exitCode !== 0) return undefined;
  const output = (await readHead(result.stdout.path)) + '\n' + (await readHead(result.stderr.path));
  return parseToolVersion(name, output);
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_VERSION_OUTPUT_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

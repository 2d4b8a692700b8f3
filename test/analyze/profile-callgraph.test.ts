/**
 * renderCallGraphSvg: the real `go tool pprof -svg` through the real Runner and
 * Graphviz; without dot, a ToolMissingError that says how to install it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolError, ToolMissingError } from '../../src/core/errors.ts';
import { renderCallGraphSvg } from '../../src/analyze/callgraph.ts';
import { createRunner } from '../../src/exec/create-runner.ts';
import { hasTool } from '../helpers/tools.ts';
import { captured, tempDir } from './support.ts';

describe.skipIf(!hasTool('dot', ['-V']))('call graph SVG with graphviz', () => {
  it.each(['go1.26.8', 'go1.23.5'])('draws the CPU profile captured from %s, focused on main.spin', async (version) => {
    const out = join(tempDir('callgraph'), 'cpu.svg');
    await renderCallGraphSvg(captured('profile-cpu', version, 'pb.gz'), out, { runner: createRunner(), focus: 'main\\.spin' });
    const svg = readFileSync(out, 'utf8');
    expect(svg).toMatch(/<svg[\s>]/);
    expect(svg).toContain('main.spin');
    // -focus keeps only stacks through main.spin: the sha256 half of the run is gone.
    expect(svg).not.toContain('sha256');
  });

  it('honours -sample_index on a heap profile', async () => {
    const out = join(tempDir('callgraph'), 'heap.svg');
    await renderCallGraphSvg(captured('profile-heap-2', 'go1.26.8', 'pb.gz'), out, { runner: createRunner(), sampleIndex: 'alloc_space' });
    expect(readFileSync(out, 'utf8')).toMatch(/main\.retain[\s\S]*[kM]B/);
  });

  it("a file that is not a profile → ToolError carrying pprof's complaint", async () => {
    const dir = tempDir('callgraph');
    const page = join(dir, '-login.html'); // starts with '-': must stay a path, not a flag
    writeFileSync(page, '<html>login</html>');
    const err = await renderCallGraphSvg(page, join(dir, 'x.svg'), { runner: createRunner() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toMatch(/-login\.html|parsing profile|unrecognized/);
  });
});

describe('call graph SVG without graphviz', () => {
  it('names dot and how to install it, before starting pprof', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/usr/local/go/bin';
    try {
      const dir = tempDir('callgraph');
      const err = await renderCallGraphSvg(captured('profile-cpu', 'go1.26.8', 'pb.gz'), join(dir, 'x.svg'), {
        runner: createRunner(),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ToolMissingError);
      expect((err as Error).message).toBe('dot not found on PATH');
      expect((err as ToolMissingError).hint).toMatch(/graphviz/i);
    } finally {
      process.env.PATH = saved;
    }
  });
});

/**
 * The flame graph SVG of real captured profiles: well-formed XML, widths proportional
 * to values (children never wider than their caller, the root the full width), the
 * hottest user function visible, and hostile function names escaped.
 */
import { describe, expect, it } from 'vitest';
import { decodeProfileFile } from '../../src/analyze/profile.ts';
import { flameTreeOf } from '../../src/analyze/flame-tree.ts';
import { renderFlameGraphSvg } from '../../src/report/flamegraph-svg.ts';
import { captured } from '../analyze/support.ts';
import { parseXml, type XmlElement } from './xml-parse.ts';

interface Frame {
  title: string;
  x: number;
  y: number;
  width: number;
  pct: number;
  label: string;
}

function frames(svg: string): Frame[] {
  const root = parseXml(svg);
  const text = (e: XmlElement) => e.children.filter((c): c is string => typeof c === 'string').join('');
  return root.children
    .filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'g')
    .map((g) => {
      const el = (name: string) => g.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);
      const rect = el('rect')!;
      const title = text(el('title')!);
      return {
        title,
        x: Number(rect.attrs.x),
        y: Number(rect.attrs.y),
        width: Number(rect.attrs.width),
        pct: Number(/, ([\d.]+)%\)$/.exec(title)![1]),
        label: el('text') ? text(el('text')!) : '',
      };
    });
}

describe.each(['go1.26.8', 'go1.23.5'])('flame graph of profiles captured from %s', (version) => {
  it('is as wide as the total at the root and each frame is as wide as its share', async () => {
    const profile = await decodeProfileFile(captured('profile-cpu', version, 'pb.gz'));
    const fs = frames(renderFlameGraphSvg(flameTreeOf(profile), { width: 1000 }));
    const usable = 1000 - 20;
    const root = fs.find((f) => f.title.startsWith('all '))!;
    expect(root.width).toBeCloseTo(usable, 1);
    expect(root.y).toBe(Math.max(...fs.map((f) => f.y))); // root at the bottom
    for (const f of fs) expect(Math.abs(f.width - (f.pct / 100) * usable)).toBeLessThan(0.06);
    // Frames one level up lie inside the root and together are no wider than it.
    const level1 = fs.filter((f) => f.y === root.y - 17);
    expect(level1.length).toBeGreaterThan(0);
    const sum = level1.reduce((a, f) => a + f.width, 0);
    expect(sum).toBeLessThanOrEqual(root.width + 0.01 * level1.length);
    for (const f of level1) expect(f.x).toBeGreaterThanOrEqual(root.x - 0.01);
    // main.spin burns 2/3 of the run: it must be drawn, wide, with its name readable.
    const spin = fs.filter((f) => f.title.startsWith('main.spin '));
    expect(spin.length).toBeGreaterThan(0);
    expect(Math.max(...spin.map((f) => f.pct))).toBeGreaterThan(30);
    expect(spin.some((f) => f.label === 'main.spin')).toBe(true);
  });

  it('draws heap profiles by the chosen sample type, with its unit in the hover text', async () => {
    const profile = await decodeProfileFile(captured('profile-heap-2', version, 'pb.gz'));
    const svg = renderFlameGraphSvg(flameTreeOf(profile, 'alloc_space'), { title: 'allocations' });
    const fs = frames(svg);
    expect(fs.find((f) => f.title.startsWith('all '))!.title).toMatch(/B, 100\.00%\)$/);
    expect(fs.some((f) => f.title.startsWith('main.retain '))).toBe(true);
    expect(svg).toContain('>allocations</text>');
  });
});

describe('hostile function names', () => {
  it('are escaped: the SVG stays well-formed and shows the name as text', async () => {
    const profile = await decodeProfileFile(captured('profile-cpu', 'go1.26.8', 'pb.gz'));
    const hostile = '<script>alert("x")</script> & ]]> \'q\' \u0001';
    for (const s of profile.samples)
      for (const l of s.locations) for (const ln of l.lines) if (ln.func.name === 'main.spin') ln.func.name = hostile;
    const svg = renderFlameGraphSvg(flameTreeOf(profile), { title: '<b>&title' });
    expect(svg).not.toContain('<script');
    const fs = frames(svg);
    const frame = fs.find((f) => f.title.startsWith('<script>'))!;
    expect(frame.title).toContain('alert("x")</script> & ]]> \'q\' \uFFFD');
    // Truncation never splits an escape: the label is a prefix of the name or the whole name.
    expect(hostile.replace('\u0001', '\uFFFD').startsWith(frame.label.replace(/\.\.$/, ''))).toBe(true);
  });

  it('a profile with no samples of the type draws a note, not an empty picture', async () => {
    const profile = await decodeProfileFile(captured('profile-cpu', 'go1.26.8', 'pb.gz'));
    profile.samples = [];
    const svg = renderFlameGraphSvg(flameTreeOf(profile));
    parseXml(svg);
    expect(svg).toContain('no samples of cpu');
  });
});

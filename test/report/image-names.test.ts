import { describe, expect, it } from 'vitest';
import { GENERATED_IMAGE_PATH, planReportImages, safeImageName } from '../../src/report/image-names.ts';
import type { StoredArtifact } from '../../src/store/store.ts';

describe('safeImageName', () => {
  it.each([
    ['goroutines', 'goroutines'],
    ['  Heap In-Use (bytes)', 'heap-in-use-bytes'],
    ['call graph: cpu from http://10.0.0.7:6060', 'call-graph-cpu-from-http-10-0-0-7-6060'],
    ['x](javascript:alert(1))', 'x-javascript-alert-1'],
    ['../../etc/passwd', 'etc-passwd'],
    ['Café — Latenz', 'cafe-latenz'],
  ])('%j → %j', (label, expected) => {
    expect(safeImageName(label, 'fallback')).toBe(expected);
  });

  it('uses the fallback when nothing usable is left, and cuts long labels at a word-safe end', () => {
    expect(safeImageName('✓✓✓', 'image-7')).toBe('image-7');
    const long = safeImageName(`${'very-long-query-name '.repeat(10)}`, 'x');
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });

  it('never puts a credential from the label into the file name', () => {
    const name = safeImageName('call graph from http://admin:hunter2@h:6060/?token=s3cr3t', 'x');
    expect(name).not.toMatch(/admin|hunter2|s3cr3t/);
  });
});

describe('planReportImages', () => {
  /** A chart of query `query` as the metrics action keeps it, or (query null) a picture named by its label. */
  const artifact = (id: number, label: string, mediaType: string, query: string | null = null): StoredArtifact => ({
    id,
    label,
    mediaType,
    stepRunId: 2,
    actionId: 'a',
    attributes: query === null ? {} : { role: 'chart', query: { name: query, expr: 'go_goroutines' } },
    sha256: '',
    size: 1,
    path: `/store/${id}`,
    createdAt: '',
  });

  it('plans only SVG and PNG artifacts, in id order, deduplicating names the same way every time', () => {
    const artifacts = [
      artifact(9, 'chart: goroutines', 'image/svg+xml', 'goroutines'),
      artifact(3, 'chart: goroutines', 'image/svg+xml', 'goroutines'),
      artifact(4, 'goroutine debug=2', 'text/x-go-goroutines; debug=2'),
      artifact(5, 'goroutines 2', 'image/svg+xml'),
      artifact(6, 'chart: goroutines', 'image/png', 'goroutines'),
    ];
    const plan = planReportImages(artifacts, 'inc-3f9a1c02');
    expect(plan.dirName).toBe('inc-3f9a1c02');
    expect(plan.images.map((i) => [i.artifactId, i.relativePath, i.sourcePath])).toEqual([
      [3, 'inc-3f9a1c02/goroutines.svg', '/store/3'],
      [5, 'inc-3f9a1c02/goroutines-2.svg', '/store/5'],
      [6, 'inc-3f9a1c02/goroutines.png', '/store/6'],
      [9, 'inc-3f9a1c02/goroutines-3.svg', '/store/9'],
    ]);
    expect(planReportImages([...artifacts].reverse(), 'inc-3f9a1c02')).toEqual(plan);
    for (const image of plan.images) expect(image.relativePath).toMatch(GENERATED_IMAGE_PATH);
  });

  it('names a chart by its query, never by what its label says', () => {
    const plan = planReportImages(
      [artifact(1, 'chart: heap](javascript:alert(1))', 'image/svg+xml', 'goroutines'), artifact(2, 'chart: heap', 'image/svg+xml')],
      'inc-1',
    );
    expect(plan.images.map((i) => i.fileName)).toEqual(['goroutines.svg', 'chart-heap.svg']);
  });

  it('keeps the picture directory inside the report directory whatever the incident id holds', () => {
    expect(planReportImages([], '../../x').dirName).toBe('x');
    expect(planReportImages([], '..').dirName).toBe('incident');
  });
});

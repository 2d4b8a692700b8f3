/**
 * A TLS failure's message survives redaction whole. Node reports a leaf certificate from an
 * unknown CA as UNABLE_TO_VERIFY_LEAF_SIGNATURE; the `key: value` rule used to read
 * `…_SIGNATURE: self-signed or from an unknown CA` as a secret pair and print `…: *** or from`.
 * Against a real Go server (test/fixtures/go/pprof-server -tls unknown-ca), through the built CLI.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { buildPprofServer, startPprofServer, type RunningServer } from '../collect/go-pprof-server.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startPprofServer(await buildPprofServer(), ['-tls', 'unknown-ca']);
});
afterAll(async () => {
  await server?.stop();
});

describe('a certificate from an unknown CA', () => {
  it('gotriage collect says so in full: "self-signed or from an unknown CA"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gotriage-tls-'));
    const result = await cli(['collect', '--target', server.url, '--profiles', 'heap', '--out', join(dir, 'out'), '--json'], {
      db: join(dir, 'gotriage.db'),
    });
    expect(result.exitCode).toBe(1);
    const [failure] = (JSON.parse(result.stdout) as { results: { reason: string }[] }).results;
    expect(failure!.reason).toMatch(/is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: self-signed or from an unknown CA\)$/);
  });
});

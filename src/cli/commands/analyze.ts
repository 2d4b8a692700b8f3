/**
 * `gotriage analyze FILE [FILE…]`: the quick path for a dump pasted from a chat. Each file
 * (or `-`, standard input) is recognised by content (src/analyze/detect.ts), read by the
 * analyzers the analyze step uses — as in-memory artifacts, no session, no database — and
 * the findings print as a table (or `--json`). Files are taken as samples in the order
 * given, so two goroutine dumps or two heap profiles are also compared for growth.
 * Exit 0 with or without findings; 2 when a file is not something we analyze; 1 when one
 * is recognised but broken. With `--top [n]` each file must be a pprof profile, and its
 * `go tool pprof -top` table prints instead of findings (`--cum`, `--sample-index` as pprof's).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ESCAPE_MEDIA_TYPE, detectInput, type Detection } from '../../analyze/detect.js';
import { goroutineArtifactFindings, isGoroutineMediaType } from '../../analyze/goroutines-analyze.js';
import { ExitCode, GotriageError, UsageError } from '../../core/errors.js';
import type { Runner } from '../../exec/runner.js';
import type { PprofTop, PprofTopRow } from '../../analyze/profile-top.js';
import { redactSecrets } from '../../core/redact.js';
import { terminalFor, type TerminalStream, type TerminalWriter } from '../../core/terminal-writer.js';
import { isUserFunction, type Finding } from '../../core/model.js';
import type { StoredArtifact } from '../../store/store.js';
import { flag, str, strs, type Options } from '../options.js';
import { reportError } from '../report-error.js';

export interface AnalyzeIo {
  stdin: NodeJS.ReadableStream;
  stdout: TerminalStream;
  stderr: TerminalStream;
  /** The Runner for `go tool trace`; tests may pass their own. Default: the real one. */
  runner?: Runner;
}

/** A file that was recognised, with the id its findings point at (its 1-based position). */
interface Input {
  id: number;
  name: string;
  path: string;
  detection: Detection;
}

/** A finding as `--json` prints it: the Finding plus the names of the files it came from. */
export type AnalyzeJsonFinding = Finding & { files: string[] };

/** One file's `--top` table as `--json` prints it; values are in `unit`, unscaled. */
export interface AnalyzeTopJson {
  file: string;
  sampleType: string;
  unit: string;
  total: number;
  droppedNodes: number;
  rows: PprofTopRow[];
}

/** `--top [n]`, `--cum`, `--sample-index`: pprof's -nodecount (0: every row), -cum, -sample_index. */
interface TopRequest {
  nodeCount: number;
  cum: boolean;
  sampleIndex?: string;
}

/**
 * Runs `gotriage analyze` with commander's option bag: `files` (string[]; `-` = stdin),
 * `json`, `top` (true or a row count), `cum`, `sampleIndex`. Resolves to the exit code;
 * per-file errors are printed to stderr as they occur and the other files are still analysed.
 */
export async function analyzeCommand(opts: Options, io: AnalyzeIo = process): Promise<number> {
  const top = topRequest(opts);
  const files = strs(opts, 'files');
  if (files.length === 0) throw new UsageError('analyze needs a FILE (or - for standard input)', 'e.g. gotriage analyze goroutines.txt');
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  const scratch = new Scratch();
  try {
    let exitCode: number = ExitCode.ok;
    const inputs: Input[] = [];
    for (const [index, file] of files.entries()) {
      const name = file === '-' ? 'stdin' : file;
      try {
        const path = file === '-' ? await saveStdin(io.stdin, await scratch.path()) : await readablePath(file);
        // One profile for --top: its table is read from the bytes detection decompressed. With
        // several, holding each until the tables print would multiply memory; they are read again.
        const detection = await detectInput(path, name, { keepProto: top !== undefined && files.length === 1 });
        terminalFor(io.stderr).line(`${name}: ${detection.description}`);
        inputs.push({ id: index + 1, name, path, detection });
      } catch (err) {
        if (!(err instanceof GotriageError)) throw err;
        exitCode = Math.max(exitCode, reportError(err, io.stderr));
      }
    }
    if (top)
      return Math.max(
        exitCode,
        await writeTopTables(inputs, top, { json: flag(opts, 'json'), headings: files.length > 1 }, terminalFor(io.stdout), io.stderr),
      );
    const findings = await analyzeInputs(inputs, io.runner, scratch);
    // A parser that could not read a recognised file left a tool-failure finding naming it.
    if (findings.some(isUnreadableInput)) exitCode = Math.max(exitCode, ExitCode.failed);
    if (inputs.length > 0) await writeFindings(findings, inputs, flag(opts, 'json'), terminalFor(io.stdout));
    return exitCode;
  } finally {
    await scratch.remove();
  }
}

/** A temporary directory made on first use (standard input, a trace's exports), removed at the end. */
class Scratch {
  private dir: Promise<string> | undefined;

  path(): Promise<string> {
    this.dir ??= mkdtemp(join(tmpdir(), 'gotriage-analyze-'));
    return this.dir;
  }

  async remove(): Promise<void> {
    if (this.dir) await rm(await this.dir, { recursive: true, force: true });
  }
}

/** Streams standard input to a file: memory stays bounded whatever is piped in. */
async function saveStdin(stdin: NodeJS.ReadableStream, scratch: string): Promise<string> {
  const path = join(scratch, 'stdin');
  await pipeline(stdin, createWriteStream(path));
  return path;
}

async function readablePath(file: string): Promise<string> {
  const path = resolve(file);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${file}: cannot read it (${error.code ?? error.message})`, 'give the path of a file, or - for standard input');
  });
  if (!info.isFile()) throw new UsageError(`${file}: not a regular file`, 'give the path of a file, or - for standard input');
  return path;
}

/**
 * The analyzers are imported only for the inputs that need them: node spends ~100 ms
 * loading src/analyze/index.ts's modules and ~170 ms loading execa (the Runner), as long
 * as grouping a 200,000-goroutine dump takes; goroutine dumps alone take the light path.
 */
async function analyzeInputs(inputs: readonly Input[], runner: Runner | undefined, scratch: Scratch): Promise<Finding[]> {
  const artifacts: StoredArtifact[] = inputs.flatMap((input) =>
    input.detection.mediaTypes.map((mediaType) => inMemoryArtifact(input, mediaType)),
  );
  const findings = artifacts.every((a) => isGoroutineMediaType(a.mediaType))
    ? await goroutineArtifactFindings(artifacts)
    : await (await import('../../analyze/index.js')).analyzeArtifacts(artifacts);
  for (const input of inputs) {
    const { kind, profileKind } = input.detection;
    if (kind === 'profile' && (profileKind === 'mutex' || profileKind === 'block')) {
      try {
        // Detection reads only the profile's tables; the delay analysis needs every sample.
        const { decodeProfileFile } = await import('../../analyze/profile.js');
        const profile = input.detection.profile ?? (await decodeProfileFile(input.path));
        const { delayFindings } = await import('../../analyze/trace-contention.js');
        findings.push(...delayFindings(input.id, profile, profileKind));
      } catch (err) {
        if (!(err instanceof GotriageError)) throw err;
        findings.push(brokenInputFinding(input, err));
      }
    } else if (kind === 'trace') {
      try {
        const { traceFindings } = await import('../../analyze/trace-findings.js');
        runner ??= (await import('../../exec/create-runner.js')).createRunner();
        findings.push(
          ...(await traceFindings(input.id, input.path, { runner, outputDir: join(await scratch.path(), `trace-${input.id}`) })),
        );
      } catch (err) {
        if (!(err instanceof GotriageError)) throw err;
        findings.push(brokenInputFinding(input, err));
      }
    } else if (kind === 'escape' && input.detection.mediaTypes.includes(ESCAPE_MEDIA_TYPE)) {
      // Without the module's directory paths stay as the compiler printed them; a package
      // counts as the service's own by its import path (main, or a dotted first element).
      const mapPath = (printed: string, importPath: string) => ({ file: printed, inModule: isUserFunction(`${importPath}.f`) });
      const { escapeFindings } = await import('../../analyze/escape-findings.js');
      const { parseEscapeFile } = await import('../../analyze/escape-parse.js');
      findings.push(...escapeFindings(await parseEscapeFile(input.path, { mapPath }), [input.id]));
    }
  }
  return findings;
}

/**
 * The shape the analyzers read (src/store/store.ts StoredArtifact), pointing at the file
 * itself. Files of the same kind and media type share an action id: one series, in the order given.
 */
function inMemoryArtifact(input: Input, mediaType: string): StoredArtifact {
  return {
    id: input.id,
    sha256: '',
    size: 0,
    mediaType,
    path: input.path,
    label: input.name,
    stepRunId: null,
    // One series per kind of input: two dumps are compared, a traceback is not a later sample of them.
    actionId: `analyze:${input.detection.kind}`,
    attributes: {},
    createdAt: new Date().toISOString(),
  };
}

function brokenInputFinding(input: Input, err: GotriageError): Finding {
  return {
    kind: 'tool-failure',
    title: redactSecrets(`could not analyze ${input.name} (${input.detection.description})`),
    severity: 'medium',
    metrics: {},
    detail: redactSecrets(`${err.message}${err.hint ? `\n${err.hint}` : ''}`),
    artifactIds: [input.id],
  };
}

/**
 * A recognised file that could not be read: analyzeArtifacts titles its tool-failure
 * `could not parse <label> …` (src/analyze/index.ts parseFailureFinding), ours `could not
 * analyze …`. Other tool-failure findings are evidence (a failed benchmark), not a broken file.
 */
function isUnreadableInput(f: Finding): boolean {
  return f.kind === 'tool-failure' && /^could not (parse|analyze) /.test(f.title);
}

async function writeFindings(findings: readonly Finding[], inputs: readonly Input[], json: boolean, stdout: TerminalWriter): Promise<void> {
  if (json) {
    const names = new Map(inputs.map((i) => [i.id, i.name]));
    const out: AnalyzeJsonFinding[] = findings.map((f) => ({ ...f, files: f.artifactIds.map((id) => names.get(id) ?? String(id)) }));
    stdout.json(out);
    return;
  }
  const { formatFindingsTable } = await import('../../report/findings-table.js');
  stdout.write(...formatFindingsTable(findings, { width: stdout.columns }));
  // tool-failure details say why a file could not be read: show them, the table only has titles.
  for (const f of findings.filter(isUnreadableInput)) stdout.write(`\n${f.detail ?? ''}\n`);
}

function topRequest(opts: Options): TopRequest | undefined {
  const top = opts['top'];
  const cum = flag(opts, 'cum');
  const sampleIndex = str(opts, 'sampleIndex');
  if (top === undefined) {
    const alone = cum ? '--cum' : sampleIndex !== undefined ? '--sample-index' : undefined;
    if (alone)
      throw new UsageError(
        `${alone} applies to the pprof -top table: give --top with it`,
        `e.g. gotriage analyze cpu.pb.gz --top 20 ${alone}${alone === '--cum' ? '' : ' alloc_space'}`,
      );
    return undefined;
  }
  // main.ts parses a given count to a number; `--top` alone is true.
  return { nodeCount: typeof top === 'number' ? top : 0, cum, sampleIndex };
}

/**
 * `--top`: each input's pprof -top table (src/report/pprof-top-text.ts), under a
 * `==> FILE <==` heading when several files were given, or one JSON array of them.
 * Returns the exit code of the files that were not profiles or could not be read.
 */
async function writeTopTables(
  inputs: readonly Input[],
  request: TopRequest,
  out: { json: boolean; headings: boolean },
  stdout: TerminalWriter,
  stderr: AnalyzeIo['stderr'],
): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const tables: AnalyzeTopJson[] = [];
  let printed = 0;
  const { formatPprofTopText } = await import('../../analyze/profile-top-text.js');
  for (const input of inputs) {
    try {
      if (input.detection.kind !== 'profile') {
        throw new UsageError(
          `${input.name}: --top needs a pprof profile; this was recognised as ${input.detection.description}`,
          'give --top only pprof profiles, or drop --top to see its findings',
        );
      }
      const top = await readTop(input, request);
      if (out.json) {
        tables.push({
          file: input.name,
          sampleType: top.sampleType,
          unit: top.unit,
          total: top.total,
          droppedNodes: top.droppedNodes,
          rows: top.rows,
        });
      } else {
        const heading = out.headings ? `${printed++ > 0 ? '\n' : ''}==> ${input.name} <==\n` : '';
        stdout.write(heading + formatPprofTopText(top));
      }
    } catch (err) {
      if (!(err instanceof GotriageError)) throw err;
      exitCode = Math.max(exitCode, reportError(err, stderr));
    }
  }
  if (out.json && inputs.length > 0) stdout.json(tables);
  return exitCode;
}

/**
 * The table by the streaming reader (profile-fast-top.ts: no sample objects, which a 50 MB
 * profile needs), from the bytes detection decompressed when it kept them. Errors name the
 * file as the user gave it.
 */
async function readTop(input: Input, request: TopRequest): Promise<PprofTop> {
  const { malformedProfileError, readProfileProto } = await import('../../analyze/profile.js');
  const { fastPprofTopFromProto } = await import('../../analyze/profile-fast-top.js');
  const { MAX_STREAMED_PROFILE_BYTES } = await import('../../analyze/profile-fast-wire.js');
  const proto = input.detection.proto ?? (await readProfileProto(input.path, MAX_STREAMED_PROFILE_BYTES));
  try {
    return fastPprofTopFromProto(proto, request);
  } catch (err) {
    // resolveSampleIndex's message lists the profile's sample types; which file had them matters with several.
    if (err instanceof UsageError)
      throw new UsageError(`${input.name}: ${err.message.replace(/^sample_index\b/, '--sample-index')}`, err.hint);
    throw malformedProfileError(input.name, err);
  }
}

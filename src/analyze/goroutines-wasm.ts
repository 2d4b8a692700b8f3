/**
 * The WebAssembly side of the goroutine fast path (goroutines-match.wat): one instance per
 * parse, whose memory holds the template being matched and the chunk of the dump the file
 * is read into, so matching copies nothing. Where WebAssembly or its SIMD instructions are
 * missing (`node --jitless`, an old CPU), there is no matcher and every goroutine takes the
 * general path: slower, same groups.
 */
import { GOROUTINE_MATCH_WASM } from './goroutines-match-wasm.js';

/** Memory layout, as goroutines-match.wat describes it. */
const OPS_AT = 0;
const MAX_OPS_BYTES = 64 * 1024;
const TEMPLATE_AT = 64 * 1024;
const MAX_TEMPLATE_BYTES = 64 * 1024;
const RESULTS_AT = 128 * 1024;
const CHUNK_AT = 192 * 1024;
/** The memory's 20 pages leave room for a 1 MiB chunk (read-lines.ts' default) and slack. */
export const MAX_WASM_CHUNK = 1024 * 1024;

let compiled: WebAssembly.Module | null | undefined;

function matchModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(GOROUTINE_MATCH_WASM, 'base64'));
    } catch {
      compiled = null; // no WebAssembly, or no SIMD: the general path only
    }
  }
  return compiled;
}

type MatchFn = (at: number, end: number, opsEnd: number) => number;

export class WasmMatcher {
  /** Where the dump is read: a chunk-sized Buffer inside the instance's memory. */
  readonly chunk: Buffer;
  private readonly memory: ArrayBuffer;
  private readonly ops: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly results: Float64Array;
  private readonly run: MatchFn;
  private opsEnd = 0;
  /** Set by a successful {@link match}: the goroutine's id, and its parent's or -1. */
  id = 0;
  parentId = -1;

  private constructor(instance: WebAssembly.Instance, chunkSize: number) {
    this.memory = (instance.exports.memory as WebAssembly.Memory).buffer;
    this.run = instance.exports.match as MatchFn;
    this.ops = new Int32Array(this.memory, OPS_AT, MAX_OPS_BYTES / 4);
    this.bytes = new Uint8Array(this.memory, TEMPLATE_AT, MAX_TEMPLATE_BYTES);
    this.results = new Float64Array(this.memory, RESULTS_AT, 2);
    this.chunk = Buffer.from(this.memory, CHUNK_AT, chunkSize);
  }

  /** A matcher whose chunk holds `chunkSize` bytes, or undefined (no WebAssembly, or too large a chunk). */
  static create(chunkSize: number): WasmMatcher | undefined {
    const module = chunkSize <= MAX_WASM_CHUNK ? matchModule() : null;
    return module ? new WasmMatcher(new WebAssembly.Instance(module), chunkSize) : undefined;
  }

  /** Whether `buf` is a view of {@link chunk} from its start: only then can it be matched. */
  holds(buf: Uint8Array): boolean {
    return buf.buffer === this.memory && buf.byteOffset === CHUNK_AT;
  }

  /** Loads a template (op pairs and literal bytes); false when it does not fit in memory. */
  load(ops: Int32Array, opsLength: number, bytes: Uint8Array, length: number): boolean {
    if (opsLength * 4 > MAX_OPS_BYTES || length > MAX_TEMPLATE_BYTES) return false;
    this.ops.set(ops.subarray(0, opsLength));
    this.bytes.set(bytes.subarray(0, length));
    this.opsEnd = opsLength * 4;
    return true;
  }

  /**
   * Matches the loaded template at `chunk[at…]`, the goroutine ending before `end`: the
   * index after its blank line, or -1.
   */
  match(at: number, end: number): number {
    const next = this.run(CHUNK_AT + at, CHUNK_AT + end, this.opsEnd);
    if (next < 0) return -1;
    this.id = this.results[0]!;
    this.parentId = this.results[1]!;
    return next - CHUNK_AT;
  }
}

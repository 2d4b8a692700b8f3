/**
 * Byte-level grouping of panic-style goroutine stacks (`?debug=2`, tracebacks, SIGQUIT).
 * Each goroutine's group key is assembled in one reused Buffer from the bytes that matter
 * — function names (arguments dropped), `file:line` (offsets and `fp=` dropped), the
 * creation site — hashed as it is copied and looked up without making a string
 * (goroutines-byte-table.ts); frames are decoded into objects only when a goroutine
 * starts a new group. Short scans are JS loops: Buffer#indexOf costs more in call
 * overhead than it saves on a 60-byte line.
 */
import { goroutineGroupKey, findTopUserFrame, type GoroutineFrame, type GoroutineGroup } from './goroutines-types.js';
import { parseHeaderStatus, type GoroutineStatus } from './goroutines-status.js';
import { ByteKeyTable, FNV_OFFSET, fnv1a } from './goroutines-byte-table.js';

const TAB = 0x09;
const SPACE = 0x20;
const LPAREN = 0x28;
const RPAREN = 0x29;
const COLON = 0x3a;
const PLUS = 0x2b;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const RBRACE = 0x7d;
const ZERO = 0x30;
const NINE = 0x39;
/** Separates frames in the key; `\x02` marks the creation site. Neither occurs in Go symbols or paths. */
const FRAME_END = 0x0a;
const CREATED_MARK = 0x02;

const GOROUTINE = Buffer.from('goroutine ');
const CREATED_BY = Buffer.from('created by ');
const IN_GOROUTINE = ' in goroutine '.length;
const ORIGINATING = Buffer.from('[originating from goroutine');
/** At most this many labelled sets kept per group, to show a few without growing with the dump. */
const MAX_LABEL_SETS = 5;
/** A goroutine's key stops growing here (the runtime prints at most 100 frames anyway). */
const MAX_KEY_BYTES = 1 << 20;

interface Bucket {
  status: GoroutineStatus;
  groups: ByteKeyTable<GoroutineGroup>;
}

type Mode = 'none' | 'frames' | 'created-location' | 'ancestors';

/** Feeds lines of a debug=2-style dump, collects groups in first-seen order. */
export class Debug2Grouper {
  /** Goroutines read (headers seen). */
  total = 0;
  readonly groups: GoroutineGroup[] = [];
  /** Header brackets seen (`chan receive, 2 minutes` …) → their parsed status. */
  private readonly byBracket = new ByteKeyTable<Bucket>();
  private readonly byStateKey = new Map<string, ByteKeyTable<GoroutineGroup>>();
  private key = Buffer.allocUnsafe(16 * 1024);
  private keyLen = 0;
  private keyHash = FNV_OFFSET;
  /** keyLen/keyHash before the pending function name: the rollback point if no location follows. */
  private funcHash = FNV_OFFSET;
  private funcStart = -1;
  private mode: Mode = 'none';
  private id = 0;
  private parentId: number | undefined;
  private bucket: Bucket | undefined;

  /** Whether `buf[start, end)` is a debug=2 goroutine header; if so, a goroutine starts. */
  header(buf: Buffer, start: number, end: number): boolean {
    // `…]:`, or `…] {k: v}:` — Go 1.27 prints labels after the bracket.
    if (end - start < 14 || buf[end - 1] !== COLON || (buf[end - 2] !== RBRACKET && buf[end - 2] !== RBRACE)) return false;
    if (!startsWith(buf, start, end, GOROUTINE)) return false;
    let i = start + GOROUTINE.length;
    const idStart = i;
    while (i < end && buf[i]! >= ZERO && buf[i]! <= NINE) i++;
    if (i === idStart || buf[i] !== SPACE) return false;
    // ` gp=… m=… mp=…` (traceback level ≥ 2: crash and SIGQUIT dumps) sits before the bracket.
    let open = i;
    while (open < end - 2 && buf[open] !== LBRACKET) open++;
    if (open >= end - 2) return false;
    this.end();
    this.id = parseDigits(buf, idStart, i);
    this.bucket = this.bucketFor(buf, open + 1, end - 1);
    this.total += 1;
    this.mode = 'frames';
    return true;
  }

  /** A line inside a goroutine (not a header, not blank). */
  line(buf: Buffer, start: number, end: number): void {
    if (this.mode === 'none' || this.mode === 'ancestors') return;
    const first = buf[start];
    if (first === TAB) {
      this.location(buf, start + 1, end);
    } else if (this.mode === 'frames' && buf[end - 1] === RPAREN) {
      // `pkg.(*T).m(0x1, …)`: the name may hold parens itself, the arguments never do.
      let paren = end - 2;
      while (paren > start && buf[paren] !== LPAREN) paren--;
      if (paren <= start) return;
      this.rollbackPendingFunc(); // a name without location before this one: drop it
      this.markFuncStart();
      this.append(buf, start, paren);
    } else if (startsWith(buf, start, end, CREATED_BY)) {
      // `created by X in goroutine N` (Go 1.21+), then its location on the next line.
      const nameStart = start + CREATED_BY.length;
      let nameEnd = nameStart;
      while (nameEnd < end && buf[nameEnd] !== SPACE) nameEnd++;
      if (nameEnd < end) this.parentId = parseDigits(buf, nameEnd + IN_GOROUTINE, end);
      this.rollbackPendingFunc();
      this.pushByte(CREATED_MARK);
      this.markFuncStart();
      this.append(buf, nameStart, nameEnd);
      this.mode = 'created-location';
    } else if (startsWith(buf, start, end, ORIGINATING)) {
      // GODEBUG=tracebackancestors: the stacks that follow belong to other goroutines.
      this.mode = 'ancestors';
    }
    // Anything else (`...N frames elided...`, "stack unavailable", register dumps) is not a frame.
  }

  /** A blank line, the next header or the end of the file: the goroutine joins its group. */
  end(): void {
    const bucket = this.bucket;
    if (!bucket) return;
    this.rollbackPendingFunc();
    const status = bucket.status;
    const group = bucket.groups.get(this.key, 0, this.keyLen, this.keyHash);
    if (group) {
      group.count += 1;
      if (status.minutes < group.minWaitMinutes) group.minWaitMinutes = status.minutes;
      if (status.minutes > group.maxWaitMinutes) group.maxWaitMinutes = status.minutes;
      if (group.firstId === undefined || this.id < group.firstId) {
        group.firstId = this.id;
        group.parentId = this.parentId;
      }
      if (status.labels !== undefined && group.labels.length < MAX_LABEL_SETS && !group.labels.includes(status.labels)) group.labels.push(status.labels);
    } else {
      const created = this.newGroup(status, this.key.toString('utf8', 0, this.keyLen));
      bucket.groups.set(this.key, 0, this.keyLen, this.keyHash, created);
      this.groups.push(created);
    }
    this.bucket = undefined;
    this.keyLen = 0;
    this.keyHash = FNV_OFFSET;
    this.funcStart = -1;
    this.parentId = undefined;
    this.mode = 'none';
  }

  private location(buf: Buffer, start: number, end: number): void {
    if (this.funcStart < 0) return; // a location with no function line before it
    const stop = locationEnd(buf, start, end);
    this.pushByte(SPACE);
    this.append(buf, start, stop);
    this.pushByte(FRAME_END);
    this.funcStart = -1;
    if (this.mode === 'created-location') this.mode = 'none';
  }

  private bucketFor(buf: Buffer, start: number, end: number): Bucket {
    let hash = FNV_OFFSET;
    for (let i = start; i < end; i++) hash = fnv1a(hash, buf[i]!);
    let bucket = this.byBracket.get(buf, start, end, hash);
    if (!bucket) {
      const status = parseHeaderStatus(buf.toString('utf8', start, end));
      let groups = this.byStateKey.get(status.stateKey);
      if (!groups) this.byStateKey.set(status.stateKey, (groups = new ByteKeyTable()));
      bucket = { status, groups };
      this.byBracket.set(buf, start, end, hash, bucket);
    }
    return bucket;
  }

  private markFuncStart(): void {
    this.funcStart = this.keyLen;
    this.funcHash = this.keyHash;
  }

  private rollbackPendingFunc(): void {
    if (this.funcStart < 0) return;
    this.keyLen = this.funcStart;
    this.keyHash = this.funcHash;
    this.funcStart = -1;
  }

  private newGroup(status: GoroutineStatus, keyText: string): GoroutineGroup {
    const frames: GoroutineFrame[] = [];
    let createdBy: GoroutineFrame | undefined;
    for (const entry of keyText.split('\n')) {
      if (entry === '') continue;
      const isCreator = entry.charCodeAt(0) === CREATED_MARK;
      const frame = parseKeyFrame(isCreator ? entry.slice(1) : entry);
      if (isCreator) createdBy = frame;
      else frames.push(frame);
    }
    return {
      key: goroutineGroupKey(status.stateKey, frames, createdBy),
      count: 1,
      state: status.state,
      leaked: status.leaked,
      lockedToThread: status.lockedToThread,
      labels: status.labels !== undefined ? [status.labels] : [],
      minWaitMinutes: status.minutes,
      maxWaitMinutes: status.minutes,
      frames,
      createdBy,
      topUserFrame: findTopUserFrame(frames),
      firstId: this.id,
      parentId: this.parentId,
    };
  }

  private append(buf: Buffer, start: number, end: number): void {
    const n = end - start;
    if (this.keyLen + n + 2 > this.key.length) {
      if (this.key.length >= MAX_KEY_BYTES) return;
      const bigger = Buffer.allocUnsafe(Math.max(this.key.length * 2, this.keyLen + n + 2));
      this.key.copy(bigger, 0, 0, this.keyLen);
      this.key = bigger;
    }
    // A JS loop: Buffer#copy's call overhead exceeds a short loop's cost. The hash takes the
    // length and the last 16 bytes only (the file name and line of a location, the method
    // of a function); equal hashes are confirmed by comparing every byte.
    const key = this.key;
    let len = this.keyLen;
    for (let i = start; i < end; i++) key[len++] = buf[i]!;
    let hash = fnv1a(this.keyHash, n & 0xff);
    for (let i = Math.max(start, end - 16); i < end; i++) hash = fnv1a(hash, buf[i]!);
    this.keyLen = len;
    this.keyHash = hash;
  }

  private pushByte(byte: number): void {
    if (this.keyLen + 1 > this.key.length) return;
    this.key[this.keyLen++] = byte;
    this.keyHash = fnv1a(this.keyHash, byte);
  }
}

/**
 * Where `path:line` ends in `\t/path/file.go:123 +0x1f fp=0x… sp=0x… pc=0x…`: before a
 * trailing ` +0x…` (the common case, found from the end), at the line's end (inlined frames
 * have no offset), or before the first ` +0`/` fp=` (crash and SIGQUIT dumps).
 */
function locationEnd(buf: Buffer, start: number, end: number): number {
  let i = end - 1;
  while (i > start && isHexDigit(buf[i]!)) i--;
  if (buf[i] === 0x78 /* x */ && buf[i - 1] === ZERO && buf[i - 2] === PLUS && buf[i - 3] === SPACE) return i - 3;
  if (i === end - 1 || buf[i] !== COLON) {
    for (let stop = start; stop < end; stop++) {
      if (buf[stop] !== SPACE) continue;
      const next = buf[stop + 1];
      if ((next === PLUS && buf[stop + 2] === ZERO) || (next === 0x66 /* f */ && buf[stop + 3] === 0x3d /* = */)) return stop;
    }
  }
  return end;
}

function isHexDigit(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66);
}

/** `func path:line` (the key's form) → a frame; the path may hold spaces and colons. */
function parseKeyFrame(entry: string): GoroutineFrame {
  const sp = entry.indexOf(' ');
  const func = sp >= 0 ? entry.slice(0, sp) : entry;
  const loc = sp >= 0 ? entry.slice(sp + 1) : '';
  const colon = loc.lastIndexOf(':');
  const line = colon >= 0 ? Number(loc.slice(colon + 1)) : NaN;
  return Number.isInteger(line) ? { func, file: loc.slice(0, colon), line } : { func, file: loc, line: 0 };
}

function startsWith(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[start + i] !== prefix[i]) return false;
  return true;
}

function parseDigits(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c < ZERO || c > NINE) break;
    n = n * 10 + (c - ZERO);
  }
  return n;
}

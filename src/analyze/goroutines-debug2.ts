/**
 * Byte-level grouping of panic-style goroutine stacks (`?debug=2`, tracebacks, SIGQUIT).
 * Each function name (arguments dropped), `file:line` (offsets and `fp=` dropped) and
 * header bracket is interned as a small int (goroutines-line-table.ts), so a goroutine's
 * group key is a short int sequence: state, then function/location id pairs, then the
 * creation site. Each line is first compared with the line at the same position of the
 * previous goroutine (usually equal in a dump of many alike goroutines), and a goroutine
 * whose sequence equals the previous one's joins its group without a look-up. Frames are
 * decoded into objects only when a goroutine starts a new group. Short scans are JS
 * loops: Buffer#indexOf costs more in call overhead than it saves on a 60-byte line.
 *
 * All of that is the general path. Before it, a goroutine is matched against the previous
 * one's template (goroutines-template.ts): in a leak, most goroutines are byte for byte
 * the previous one but for their id and arguments, and join its group in one pass.
 */
import { goroutineGroupKey, findTopUserFrame, type GoroutineFrame, type GoroutineGroup } from './goroutines-types.js';
import { parseHeaderStatus, type GoroutineStatus } from './goroutines-status.js';
import { LineTable, grow } from './goroutines-line-table.js';
import { GoroutineTemplate } from './goroutines-template.js';
import type { WasmMatcher } from './goroutines-wasm.js';
import { IntSeqTable, sameInts } from './goroutines-group-table.js';
import { nextLineEnd } from './read-lines.js';
import { locationEnd, parseDigits, parseKeyFrame, startsWith } from './goroutines-debug2-bytes.js';

const TAB = 0x09;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const LPAREN = 0x28;
const RPAREN = 0x29;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const RBRACE = 0x7d;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_C = 0x63;
const LOWER_G = 0x67;
/** In the key: the creation site follows (ids are ≥ 0). */
const CREATED_MARK = -1;
/** Decoded key text: `\x02` marks the creation site, `\n` ends a frame; neither occurs in Go symbols or paths. */
const CREATED_CHAR = '\x02';

const GOROUTINE = Buffer.from('goroutine ');
const BLANK_LINE = Buffer.from('\n\n');
const CREATED_BY = Buffer.from('created by ');
const IN_GOROUTINE = ' in goroutine '.length;
const ORIGINATING = Buffer.from('[originating from goroutine');
/** At most this many labelled sets kept per group, to show a few without growing with the dump. */
const MAX_LABEL_SETS = 5;
/** A goroutine's key stops growing here (the runtime prints at most 100 frames anyway). */
const MAX_KEY_INTS = 1 << 16;

interface Bucket {
  status: GoroutineStatus;
  /** Dense id of `status.stateKey`: goroutines of one state key share groups. */
  stateId: number;
}

const NONE = 0;
const FRAMES = 1;
const CREATED_LOCATION = 2;
const ANCESTORS = 3;

/** Feeds lines of a debug=2-style dump, collects groups in first-seen order. */
export class Debug2Grouper {
  /** Goroutines read (headers seen). */
  total = 0;
  readonly groups: GoroutineGroup[] = [];
  private readonly lines = new LineTable();
  private readonly brackets = new LineTable();
  /** Bracket id → its parsed status. */
  private readonly buckets: Bucket[] = [];
  private readonly stateIds = new Map<string, number>();
  private readonly byKey = new IntSeqTable<GoroutineGroup>();
  /** The previous goroutine's shape: a goroutine matching it joins `prevGroup` at once. */
  private readonly template = new GoroutineTemplate();
  private seq = new Int32Array(64);
  private seqLen = 0;
  /** The previous goroutine's sequence, state and group: the guess for this one. */
  private prevSeq = new Int32Array(64);
  private prevLen = 0;
  private prevState = -1;
  private prevGroup: GoroutineGroup | undefined;
  private prevBracket = -1;
  /** Index of the pending function id in `seq` (no location yet), or -1. */
  private funcAt = -1;
  private mode = NONE;
  private id = 0;
  private parentId: number | undefined;
  private bucket: Bucket | undefined;

  /**
   * With a matcher, goroutines in runs the parser reads into `matcher.chunk` are first
   * matched against the previous one's template; without, all take the general path.
   */
  constructor(private readonly matcher?: WasmMatcher) {}

  /**
   * Feeds a run of whole lines `buf[start, end)` (read-lines.ts ChunkVisitor): the same as
   * {@link end} for each blank line, {@link header} or else {@link line} for the others,
   * in one loop rather than a call per line.
   */
  scan(buf: Buffer, start: number, end: number): void {
    const template = this.template;
    const matcher = this.matcher !== undefined && this.matcher.holds(buf) ? this.matcher : undefined;
    // Goroutines are matched only up to the run's last blank line: one cut by the end of the
    // run cannot match, and takes the general path, which carries it over to the next run.
    const fastEnd = buf.lastIndexOf(BLANK_LINE, end - BLANK_LINE.length) + BLANK_LINE.length;
    for (let at = start; at < end;) {
      if (matcher && at < fastEnd && template.ready && this.bucket === undefined && buf[at] === LOWER_G) {
        const next = template.match(matcher, at, fastEnd);
        if (next >= 0) {
          this.joinPrevious(matcher.id, matcher.parentId);
          at = next;
          continue;
        }
      }
      const nl = nextLineEnd(buf, at, end);
      const stop = nl > at && buf[nl - 1] === CARRIAGE_RETURN ? nl - 1 : nl;
      if (stop === at) this.end();
      else if (buf[at] === TAB) {
        if (this.funcAt >= 0 && (this.mode === FRAMES || this.mode === CREATED_LOCATION)) this.location(buf, at + 1, stop);
        else template.spoil();
      } else if (buf[at] !== LOWER_G || !this.header(buf, at, stop)) this.line(buf, at, stop);
      at = nl + 1;
    }
  }

  /** Whether `buf[start, end)` is a debug=2 goroutine header; if so, a goroutine starts. */
  header(buf: Buffer, start: number, end: number): boolean {
    // `…]:`, or `…] {k: v}:` — Go 1.27 prints labels after the bracket.
    if (buf[start] !== LOWER_G || end - start < 14 || buf[end - 1] !== COLON) return false;
    if ((buf[end - 2] !== RBRACKET && buf[end - 2] !== RBRACE) || !startsWith(buf, start, end, GOROUTINE)) return false;
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
    this.template.begin(buf, i, end);
    this.total += 1;
    this.mode = FRAMES;
    return true;
  }

  /** A line inside a goroutine (not a header, not blank). */
  line(buf: Buffer, start: number, end: number): void {
    const mode = this.mode;
    const template = this.template;
    if (mode === NONE || mode === ANCESTORS) return template.spoil();
    const first = buf[start];
    if (first === TAB) {
      this.location(buf, start + 1, end);
    } else if (mode === FRAMES && buf[end - 1] === RPAREN) {
      // `pkg.(*T).m(0x1, …)`: the name may hold parens itself, the arguments never do.
      let paren = end - 2;
      while (paren > start && buf[paren] !== LPAREN) paren--;
      if (paren <= start) return template.spoil();
      this.rollbackPendingFunc(); // a name without location before this one: drop it
      if (this.pushFunc(buf, start, paren)) template.func(buf, start, paren, end);
      else template.spoil();
    } else if (first === LOWER_C && startsWith(buf, start, end, CREATED_BY)) {
      // `created by X in goroutine N` (Go 1.21+), then its location on the next line.
      const nameStart = start + CREATED_BY.length;
      let nameEnd = nameStart;
      while (nameEnd < end && buf[nameEnd] !== SPACE) nameEnd++;
      if (nameEnd < end) this.parentId = parseDigits(buf, nameEnd + IN_GOROUTINE, end);
      this.rollbackPendingFunc();
      if (this.seqLen < MAX_KEY_INTS) this.seq[this.seqLen++] = CREATED_MARK;
      if (!this.pushFunc(buf, nameStart, nameEnd)) template.spoil();
      else if (nameEnd < end) template.created(buf, start, nameEnd + IN_GOROUTINE, end);
      else template.literal(buf, start, end);
      this.mode = CREATED_LOCATION;
    } else if (first === LBRACKET && startsWith(buf, start, end, ORIGINATING)) {
      // GODEBUG=tracebackancestors: the stacks that follow belong to other goroutines.
      this.mode = ANCESTORS;
      template.spoil();
    } else {
      // Anything else (`...N frames elided...`, "stack unavailable", register dumps) is not a frame.
      template.spoil();
    }
  }

  /** A blank line, the next header or the end of the file: the goroutine joins its group. */
  end(): void {
    const bucket = this.bucket;
    if (!bucket) return;
    this.rollbackPendingFunc();
    this.template.finish();
    const status = bucket.status;
    const state = bucket.stateId;
    const seq = this.seq;
    const len = this.seqLen;
    let group =
      state === this.prevState && len === this.prevLen && sameInts(this.prevSeq, seq, len)
        ? this.prevGroup
        : this.byKey.get(state, seq, len);
    if (group) {
      group.count += 1;
      if (status.minutes < group.minWaitMinutes) group.minWaitMinutes = status.minutes;
      if (status.minutes > group.maxWaitMinutes) group.maxWaitMinutes = status.minutes;
      if (group.firstId === undefined || this.id < group.firstId) {
        group.firstId = this.id;
        group.parentId = this.parentId;
      }
      if (status.labels !== undefined && group.labels.length < MAX_LABEL_SETS && !group.labels.includes(status.labels))
        group.labels.push(status.labels);
    } else {
      group = this.newGroup(status, this.keyText());
      this.byKey.set(state, seq, len, group);
      this.groups.push(group);
    }
    // This goroutine's sequence becomes the guess for the next one.
    this.seq = this.prevSeq;
    this.prevSeq = seq;
    this.prevLen = len;
    this.prevState = state;
    this.prevGroup = group;
    this.bucket = undefined;
    this.seqLen = 0;
    this.funcAt = -1;
    this.parentId = undefined;
    this.mode = NONE;
  }

  /** The goroutine at the template's header matched it: it joins the previous one's group. */
  private joinPrevious(id: number, parentId: number): void {
    // Same header bytes, so the same state, wait minutes and labels as the previous one.
    const group = this.prevGroup!;
    group.count += 1;
    this.total += 1;
    // Stores made whichever goroutine is first: V8 would drop its optimized code the first
    // time a branch it has not seen run is taken (goroutine ids are not always increasing).
    const first = group.firstId;
    const parent = parentId >= 0 ? parentId : undefined;
    const earlier = first === undefined || id < first;
    group.firstId = earlier ? id : first;
    group.parentId = earlier ? parent : group.parentId;
  }

  private location(buf: Buffer, start: number, end: number): void {
    if (this.funcAt < 0) return this.template.spoil(); // a location with no function line before it
    this.template.literal(buf, start - 1, end);
    this.push(buf, start, locationEnd(buf, start, end));
    this.funcAt = -1;
    if (this.mode === CREATED_LOCATION) this.mode = NONE;
  }

  /** Whether the name was added (the key has room for it and its location). */
  private pushFunc(buf: Buffer, start: number, end: number): boolean {
    // Room for the name and its location, so a pending name always gets its pair.
    if (this.seqLen + 2 > MAX_KEY_INTS) return false;
    this.funcAt = this.seqLen;
    this.push(buf, start, end);
    return true;
  }

  private push(buf: Buffer, start: number, end: number): void {
    const at = this.seqLen;
    if (at >= this.seq.length) {
      this.seq = grow(this.seq);
      this.prevSeq = grow(this.prevSeq);
    }
    const guess = at < this.prevLen ? this.prevSeq[at]! : -1;
    this.seq[at] = this.lines.intern(buf, start, end, guess);
    this.seqLen = at + 1;
  }

  private rollbackPendingFunc(): void {
    if (this.funcAt < 0) return;
    this.template.spoil(); // the template holds the dropped name
    this.seqLen = this.funcAt;
    this.funcAt = -1;
  }

  private bucketFor(buf: Buffer, start: number, end: number): Bucket {
    const id = this.brackets.intern(buf, start, end, this.prevBracket);
    this.prevBracket = id;
    let bucket = this.buckets[id];
    if (!bucket) {
      const status = parseHeaderStatus(buf.toString('utf8', start, end));
      let stateId = this.stateIds.get(status.stateKey);
      if (stateId === undefined) this.stateIds.set(status.stateKey, (stateId = this.stateIds.size));
      bucket = { status, stateId };
      this.buckets[id] = bucket;
    }
    return bucket;
  }

  /** The key as text: `func loc\n` per frame, `\x02` before the creation site's frame. */
  private keyText(): string {
    let text = '';
    for (let i = 0; i < this.seqLen;) {
      const token = this.seq[i]!;
      if (token === CREATED_MARK) {
        text += CREATED_CHAR;
        i += 1;
      } else {
        text += `${this.lines.text(token)} ${this.lines.text(this.seq[i + 1]!)}\n`;
        i += 2;
      }
    }
    return text;
  }

  private newGroup(status: GoroutineStatus, keyText: string): GoroutineGroup {
    const frames: GoroutineFrame[] = [];
    let createdBy: GoroutineFrame | undefined;
    for (const entry of keyText.split('\n')) {
      if (entry === '') continue;
      const isCreator = entry.charCodeAt(0) === 2;
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
}

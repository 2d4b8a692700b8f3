/**
 * Why a value escapes, in the categories people reason about, read from the `-m=2`
 * flow lines. Each flow step ends in the compiler's reason in parentheses
 * (cmd/compile/internal/escape: `(return)`, `(captured by a closure)`, `(too large for
 * stack)`, `(non-constant size)`, `(interface-converted)`, `(call parameter)`,
 * `(send)`, `(assign)` …); Go 1.23 writes `flow: a = b`, Go 1.26 `flow: a ← b`.
 */
import type { EscapeEntry } from './escape-parse.js';

export type EscapeCategory = 'returned' | 'closure' | 'too-large' | 'dynamic-size' | 'interface' | 'global' | 'channel' | 'other';

/** What each category means, as the report shows it. */
export const ESCAPE_CATEGORY_LABELS: Readonly<Record<EscapeCategory, string>> = {
  returned: 'pointer returned to the caller',
  closure: 'captured by a closure',
  'too-large': 'too large for the stack',
  'dynamic-size': 'of dynamic size',
  interface: 'stored in an interface',
  global: 'stored in a global',
  channel: 'sent on a channel',
  other: 'other',
};

export interface EscapeExplanation {
  category: EscapeCategory;
  /** `stored in an interface: argument to fmt.Sprint`, `sent on a channel: ch <- r at main.go:64:5`. */
  reason: string;
}

/** `from <expr> (<why>) at <pos>` */
const FROM = /^from (.+) \(([^()]+)\) at (\S+)$/;
/** `flow: <dst> ← <src>:` (1.26) or `flow: <dst> = <src>:` (1.23) */
const FLOW = /^flow: (.+?) (?:←|=) (.+):$/;

/**
 * The category of a heap move or escape. Explicit compiler reasons win over the shape of
 * the flow: a closure's captured variable is `captured by a closure` even though the
 * closure itself is then returned. Without `-m=2` lines there is no flow to read; a few
 * subjects still tell (a `func literal` that escapes is a closure), else `other`.
 */
export function explainEscape(entry: Pick<EscapeEntry, 'subject' | 'flow'>): EscapeExplanation {
  const steps = entry.flow.map((l) => FROM.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const withReason = (why: string) => steps.find((s) => s[2] === why);
  const at = (s: RegExpExecArray) => `${s[1]} at ${shortPosition(s[3] ?? '')}`;

  const tooLarge = withReason('too large for stack');
  if (tooLarge) return { category: 'too-large', reason: label('too-large', at(tooLarge)) };
  const dynamic = withReason('non-constant size');
  if (dynamic) return { category: 'dynamic-size', reason: label('dynamic-size', `non-constant size in ${at(dynamic)}`) };
  const captured = withReason('captured by a closure');
  if (captured) return { category: 'closure', reason: label('closure', at(captured)) };
  const send = withReason('send');
  if (send) return { category: 'channel', reason: label('channel', at(send)) };

  const converted = withReason('interface-converted');
  const call = steps.find((s) => s[2] === 'call parameter');
  // A `...` argument of type ...any (fmt.Println & co.) is a slice of interfaces.
  const variadic = steps.find((s) => s[1] === '... argument') ?? (/\.\.\. argument/.test(call?.[1] ?? '') ? call : undefined);
  const boxed = converted ?? variadic;
  if (boxed) {
    const callee = call ? calleeName(call[1] ?? '') : undefined;
    return { category: 'interface', reason: label('interface', callee ? `argument to ${callee}` : at(boxed)) };
  }
  const ret = withReason('return');
  if (ret) return { category: 'returned', reason: label('returned', at(ret)) };

  const global = globalAssignment(entry.flow, steps);
  if (global) return { category: 'global', reason: label('global', at(global)) };
  if (call) return { category: 'other', reason: `passed to ${calleeName(call[1] ?? '') ?? call[1]}, whose parameter leaks` };
  if (entry.subject === 'func literal') return { category: 'closure', reason: 'a closure value that outlives its frame' };
  const last = steps[steps.length - 1];
  return { category: 'other', reason: last ? `${last[2]}: ${at(last)}` : 'no -m=2 explanation (run with -gcflags=-m=2 for the reason)' };
}

function label(category: EscapeCategory, detail: string): string {
  return `${ESCAPE_CATEGORY_LABELS[category]}: ${detail}`;
}

/**
 * `sink = q (assign)` flowing into `{heap}`: a plain identifier on the left that is not
 * a local (locals are flow locations of their own, never `{heap}`) is a package variable.
 */
function globalAssignment(flow: readonly string[], steps: RegExpExecArray[]): RegExpExecArray | undefined {
  const toHeap = flow.some((l) => FLOW.exec(l)?.[1] === '{heap}');
  if (!toHeap) return undefined;
  return steps.find((s) => s[2] === 'assign' && /^[\p{L}_][\p{L}\p{N}_]* = /u.test(s[1] ?? ''));
}

/** `fmt.Sprint(... argument...)` → `fmt.Sprint`. */
function calleeName(callExpr: string): string | undefined {
  return /^([\p{L}_][\p{L}\p{N}_.()*]*?)\(/u.exec(callExpr)?.[1];
}

/** `example.com/svc/export.go:41:6` → `export.go:41:6` (the site's own position is module-relative already). */
function shortPosition(position: string): string {
  const slash = position.lastIndexOf('/');
  return slash >= 0 ? position.slice(slash + 1) : position;
}

/**
 * The secret VALUES this run knows — `--header` values, the password in a target's `user:pass@`,
 * secret-named playbook parameters and answers, secret environment values of actions — beside
 * the pattern rules of redact.ts, which recognise a secret by its shape (`password=…`, `Bearer …`).
 * A known value is masked wherever it turns up, in whatever encoding a tool or a serialiser gave
 * it: as written, JSON-escaped (once or twice), percent-encoded (`%22`, `+` for a space, either
 * hex case), and Base64 (standard or URL alphabet, alone or inside a longer encoded text such as
 * the `user:pass` of a Basic header). redactSecrets() consults this registry first, so every sink
 * that redacts (store, logger, terminal, report) masks known values without knowing them itself.
 *
 * One registry per process: a gotriage process runs one command for one incident, and what it
 * learns from flags must be masked by modules that never see those flags.
 */

/** What every secret is replaced with. Chosen so no redaction pattern changes it again. */
export const MASK = '***';

/**
 * Shorter values are not registered: masking every `abc` in a report would destroy it. A short
 * secret is still masked where its shape shows (`password=abc`, `user:abc@host`).
 */
export const MIN_SECRET_LENGTH = 6;

/** A cut (a head or tail of a longer text) ending in this much of a secret gets that part masked. */
const MIN_PARTIAL_LENGTH = 3;

/** A Base64 core shorter than this could match by chance inside unrelated encoded text. */
const MIN_BASE64_CORE = 6;

/** A run of Base64 characters (both alphabets) with its padding. */
const BASE64_RUN = /[A-Za-z0-9+/_-]+={0,2}/g;

/** The secret values of this process, and every encoding of them that is masked. */
export class SecretRegistry {
  private readonly values = new Set<string>();
  /** Literal forms, longest first, so a longer form is masked before a shorter one inside it. */
  private forms: string[] = [];
  /** Base64 text that any encoding of a text holding the secret must contain (see base64Cores). */
  private cores: string[] = [];

  /** How many values are known. */
  get size(): number {
    return this.values.size;
  }

  /**
   * Registers a secret value. Returns false (and registers nothing) for values shorter than
   * {@link MIN_SECRET_LENGTH} or holding a newline (no header, password or token does).
   */
  add(value: string): boolean {
    if (value.length < MIN_SECRET_LENGTH || /[\r\n]/.test(value) || value === MASK) return false;
    if (this.values.has(value)) return true;
    this.values.add(value);
    const forms = new Set(this.forms);
    for (const form of literalForms(value)) forms.add(form);
    this.forms = [...forms].sort((a, b) => b.length - a.length);
    this.cores = [...new Set([...this.cores, ...base64Cores(value)])];
    return true;
  }

  /** True when `text` holds a known value in any encoding. */
  holds(text: string): boolean {
    return this.mask(text) !== text;
  }

  /** Forgets every value (tests; a long-lived process would make a registry per run instead). */
  clear(): void {
    this.values.clear();
    this.forms = [];
    this.cores = [];
  }

  /** `text` with every known value, in every encoding, replaced by {@link MASK}. Idempotent. */
  mask(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(MASK);
    if (this.cores.length > 0) out = out.replace(BASE64_RUN, (run) => (this.cores.some((core) => run.includes(core)) ? MASK : run));
    return out;
  }

  /**
   * Like {@link mask}, for a text cut out of a longer one (the head of a log, the tail of stderr):
   * a known value the cut went through leaves only part of itself at the cut end, and that part is
   * masked too when it is at least 3 characters long.
   */
  maskCut(text: string, cut: { start?: boolean; end?: boolean }): string {
    let out = this.mask(text);
    if (this.values.size === 0) return out;
    if (cut.end) {
      const keep = this.partialAtEnd(out, MIN_PARTIAL_LENGTH);
      if (keep > 0) out = out.slice(0, out.length - keep) + MASK;
    }
    if (cut.start) {
      const keep = this.partialAtStart(out, MIN_PARTIAL_LENGTH);
      if (keep > 0) out = MASK + out.slice(keep);
    }
    return out;
  }

  /**
   * Length of the longest end of `text` that begins a known value (in some encoding) without
   * completing it: what a streaming writer must hold back until the next chunk says which it is.
   */
  partialAtEnd(text: string, minLength = 1): number {
    let longest = 0;
    for (const form of this.forms) {
      for (let n = Math.min(form.length - 1, text.length); n > Math.max(longest, minLength - 1); n--) {
        if (text.endsWith(form.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }

  private partialAtStart(text: string, minLength: number): number {
    let longest = 0;
    for (const form of this.forms) {
      for (let n = Math.min(form.length - 1, text.length); n > Math.max(longest, minLength - 1); n--) {
        if (text.startsWith(form.slice(form.length - n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}

/** The registry of this process: what redactSecrets() masks by value. */
export const knownSecrets = new SecretRegistry();

/**
 * Masks known values in a stream of chunks (output written piece by piece): a value split
 * across two chunks is masked as a whole, because the end of a chunk that could begin a known
 * value is held back until the next chunk (or {@link SecretStreamMasker.end}) decides it.
 */
export class SecretStreamMasker {
  private held = '';

  constructor(private readonly registry: SecretRegistry = knownSecrets) {}

  /** The part of `held + chunk` that is safe to emit now, masked. */
  push(chunk: string): string {
    const text = this.registry.mask(this.held + chunk);
    const keep = this.registry.partialAtEnd(text);
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** Whatever was held back, with a cut-off secret at its end masked. */
  end(): string {
    const rest = this.registry.maskCut(this.held, { end: true });
    this.held = '';
    return rest;
  }
}

/** The encodings a value is masked in, besides Base64 (see {@link base64Cores}). */
function literalForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const jsonTwice = JSON.stringify(json).slice(1, -1);
  const url = encodeURIComponent(value);
  const lowerHex = url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
  const forms = [value, json, jsonTwice, url, lowerHex, url.replace(/%20/g, '+'), lowerHex.replace(/%20/g, '+'), encodeURI(value)];
  return forms.filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * Base64 groups 3 bytes into 4 characters, so the characters that encode a value inside a longer
 * text depend on its byte offset modulo 3. For each offset, the characters fully determined by
 * the value's own bits are computed (in both alphabets); any Base64 text holding the value at that
 * offset contains them, whatever surrounds it (`user:` before a password in a Basic header).
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = encoded.slice(start, end);
    if (core.length < MIN_BASE64_CORE) continue;
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(cores)];
}

/**
 * A strict, small XML 1.0 well-formedness parser for the chart tests (no XML library is
 * a dependency). It refuses what a browser's XML parser refuses for an SVG file: bare `&`
 * or `<` in text or attributes, unknown entities, unbalanced or overlapping tags, duplicate
 * attributes, characters XML cannot carry, and anything but whitespace outside the root.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const INVALID_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parses `text` and returns its root element; throws an Error saying where it is not well-formed. */
export function parseXml(text: string): XmlElement {
  const bad = INVALID_CHAR.exec(text);
  if (bad) throw new Error(`character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index} is not allowed in XML`);
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const after = (token: string): number => {
    const j = text.indexOf(token, i);
    return j < 0 ? fail(`no closing ${token}`) : j + token.length;
  };
  const skipMisc = () => {
    for (;;) {
      while (/\s/.test(text[i] ?? '')) i++;
      if (text.startsWith('<?', i)) i = after('?>');
      else if (text.startsWith('<!--', i)) i = after('-->');
      else return;
    }
  };
  const name = () => {
    NAME.lastIndex = i;
    const m = NAME.exec(text) ?? fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const decode = (raw: string) =>
    raw.replace(/&([^;&<]*);|&|</g, (whole, ref: string | undefined) => {
      if (ref === undefined) return fail(`bare ${whole}`);
      if (ref in ENTITIES) return ENTITIES[ref]!;
      const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref) ?? fail(`unknown entity &${ref};`);
      return String.fromCodePoint(num[1] ? parseInt(num[1], 16) : Number(num[2]));
    });
  const element = (): XmlElement => {
    if (text[i] !== '<') fail('expected <');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [] };
    for (;;) {
      const hadSpace = /\s/.test(text[i] ?? '');
      while (/\s/.test(text[i] ?? '')) i++;
      if (text.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      if (!hadSpace) fail('expected whitespace before an attribute');
      const attr = name();
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i++] !== '=') fail('expected =');
      while (/\s/.test(text[i] ?? '')) i++;
      const quote = text[i++];
      if (quote !== '"' && quote !== "'") fail('attribute value must be quoted');
      const end = text.indexOf(quote!, i);
      if (end < 0) fail('unclosed attribute value');
      el.attrs[attr] = decode(text.slice(i, end));
      i = end + 1;
    }
    for (;;) {
      const next = text.indexOf('<', i);
      if (next < 0) fail(`unclosed <${el.name}>`);
      if (next > i) el.children.push(decode(text.slice(i, next)));
      i = next;
      if (text.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        while (/\s/.test(text[i] ?? '')) i++;
        if (text[i++] !== '>') fail('expected >');
        return el;
      }
      if (text.startsWith('<!--', i)) {
        i = after('-->');
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i);
        if (end < 0) fail('unclosed CDATA');
        el.children.push(text.slice(i + 9, end));
        i = end + 3;
        continue;
      }
      el.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== text.length) fail('content after the root element');
  return root;
}

/** Every element named `name` under (and including) `root`, in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement) => {
    if (el.name === name) out.push(el);
    for (const child of el.children) if (typeof child !== 'string') walk(child);
  };
  walk(root);
  return out;
}

/** The text content of an element (decoded). */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

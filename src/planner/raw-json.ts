/**
 * A planned response's data as the JSON text PostgreSQL built, carried through Apollo untouched:
 * parsing it into objects only for Apollo to stringify them again cost more than a millisecond a
 * page, most of it garbage collection. The data travels as a RawJson whose toJSON() is a unique
 * token; the HTTP layer (server.ts) splices the text in place of the token in the body it sends.
 * Only for HTTP requests (the splicer lives on the request's context): anything else — tests'
 * executeOperation, the response cache, subscriptions — gets parsed data.
 */
export class RawJson {
  constructor(
    readonly text: string,
    private readonly token: string,
  ) {}

  toJSON(): string {
    return this.token;
  }
}

export interface Splicer {
  /** Wraps a JSON text for the response of this request. */
  add(text: string): RawJson;
  /** The body with every token replaced by its text; `body` unchanged when there are none. */
  apply(body: string): string;
}

/** U+0001 never occurs in a token's neighbours: JSON.stringify escapes it, so `"\u0001…"` is unambiguous. */
const MARK = '\u0001planned:';

export function createSplicer(): Splicer {
  const texts: string[] = [];
  return {
    add(text) {
      texts.push(text);
      return new RawJson(text, `${MARK}${texts.length - 1}`);
    },
    apply(body) {
      if (texts.length === 0) return body;
      let out = body;
      texts.forEach((text, index) => {
        const token = JSON.stringify(`${MARK}${index}`);
        const at = out.indexOf(token);
        if (at >= 0) out = out.slice(0, at) + text + out.slice(at + token.length);
      });
      return out;
    },
  };
}

/**
 * Objects and approximate bytes in a JSON text, as measureResult (limits/cost.ts) counts them in
 * parsed data: one pass over the text, counting `{` outside strings.
 */
export function measureJsonText(text: string): { objects: number; bytes: number } {
  let objects = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */) objects++;
  }
  return { objects: Math.max(0, objects - 1), bytes: text.length };
}

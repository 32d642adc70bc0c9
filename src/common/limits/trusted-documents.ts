/**
 * Trusted documents (TRUSTED_DOCUMENTS): a list of the operations this server may run, known by
 * the SHA-256 of their text. With a list, a request runs only if its query text, or the
 * persisted-query hash it sends, is on it; automatic persisted queries can then only register
 * listed operations. Both manifest formats clients generate are read:
 * - Apollo's persisted query manifest (`@apollo/generate-persisted-query-manifest`):
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", … }] }`;
 * - a plain map of hash to text (GraphQL Code Generator's client preset, Relay):
 *   `{ "<sha256>": "query …" }`.
 * Every entry's hash is checked against its text when the list is read.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class TrustedDocuments {
  private constructor(private readonly byHash: ReadonlyMap<string, string>) {}

  static fromFile(file: string): TrustedDocuments {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`TRUSTED_DOCUMENTS: cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
    return TrustedDocuments.fromManifest(json, file);
  }

  static fromManifest(json: unknown, origin = 'the manifest'): TrustedDocuments {
    const entries: [string, string][] = [];
    if (json && typeof json === 'object' && (json as { format?: unknown }).format === 'apollo-persisted-query-manifest') {
      const operations = (json as { operations?: unknown }).operations;
      if (!Array.isArray(operations)) throw new Error(`TRUSTED_DOCUMENTS: ${origin} has no operations list`);
      for (const operation of operations) entries.push([String(operation?.id), String(operation?.body)]);
    } else if (json && typeof json === 'object' && !Array.isArray(json)) {
      for (const [hash, body] of Object.entries(json)) entries.push([hash, String(body)]);
    } else {
      throw new Error(`TRUSTED_DOCUMENTS: ${origin} is neither an Apollo persisted query manifest nor a map of hash to document`);
    }
    for (const [hash, body] of entries) {
      if (sha256(body) !== hash) throw new Error(`TRUSTED_DOCUMENTS: in ${origin}, ${hash} is not the SHA-256 of its document`);
    }
    return new TrustedDocuments(new Map(entries));
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The listed document with this hash, if any. */
  get(hash: string): string | undefined {
    return this.byHash.get(hash);
  }
}

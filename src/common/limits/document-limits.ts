/**
 * Checks a GraphQL document's size and shape before Apollo parses and validates it.
 *
 * They must come first: validation has a rule (OverlappingFieldsCanBeMerged) that compares every
 * pair of fields sharing a response name, and it runs on the first selection set before any
 * limit rule added to validation could object — 1,000 copies of `x: f(a: 1)` took 2.6 s to
 * validate, 5,000 took a minute. graphql-js's parser is recursive too, and a few thousand
 * nested brackets overflow its stack. So, in one linear pass each:
 * 1. bytes, and bracket nesting counted on the raw text (the parser never sees a deep document);
 * 2. tokens, counted by the parser itself (`maxTokens`);
 * 3. on the syntax tree, with fragments expanded once each (memoised, so fan-out is counted
 *    without being performed): operations, fields, depth, aliases (`__typename` included),
 *    directives, copies of one response name in a selection set, nesting of introspection
 *    lists, and NUL characters in string literals (PostgreSQL cannot store them).
 * A document that does not parse is left to Apollo, which reports the syntax error as usual.
 */
import {
  BREAK,
  Kind,
  parse,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { ErrorCode } from '../errors';

export interface DocumentLimits {
  maxDocumentBytes: number;
  maxTokens: number;
  maxFields: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

/** Bracket nesting ({ [ ( together) that the parser may recurse into. Far above any depth limit. */
export const MAX_NESTING = 100;
/** Operations in one document: a document of saved operations has a few dozen at most. */
export const MAX_OPERATIONS = 50;
/**
 * Copies of one response name in one selection set (fragments merged in). Fragments that overlap
 * repeat a field a few times; more is only ever a flood for the quadratic validation rule.
 */
export const MAX_SAME_NAME = 10;
/**
 * Introspection lists (types, fields, args…) nested along one path. The standard introspection
 * query nests three (types → fields → args); more multiplies: `fields { type { fields … } }`.
 */
export const MAX_INTROSPECTION_LISTS = 3;
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'args', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'directives']);

export interface DocumentRefusal {
  code: ErrorCode;
  message: string;
  /** Which limit: bytes, nesting, tokens, operations, fields, depth, aliases, directives, sameName, introspection. */
  limit?: string;
  /** For BAD_USER_INPUT: the argument at fault. */
  argumentName?: string;
}

const limitRefusal = (limit: string, message: string, code: ErrorCode = ErrorCode.DOCUMENT_LIMIT_EXCEEDED): DocumentRefusal => ({
  code,
  limit,
  message,
});

export function checkDocument(query: string, limits: DocumentLimits): DocumentRefusal | null {
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > limits.maxDocumentBytes) {
    return limitRefusal('bytes', `The document has ${bytes} bytes; the limit is ${limits.maxDocumentBytes}.`);
  }
  const nesting = bracketNesting(query);
  if (nesting > MAX_NESTING) {
    return limitRefusal('nesting', `The document nests brackets ${nesting} deep; the limit is ${MAX_NESTING}.`);
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (error) {
    // graphql-js says "Document contains more that N tokens. Parsing aborted." (sic).
    if (/\d+ tokens\. Parsing aborted/.test((error as Error).message)) {
      return limitRefusal('tokens', `The document has more than ${limits.maxTokens} tokens; the limit is ${limits.maxTokens}.`);
    }
    return null;
  }
  return checkTree(document, limits);
}

/** Deepest nesting of {, [ and ( outside strings and comments. */
function bracketNesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 34 /* " */) {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        i = end < 0 ? text.length : end + 2;
      } else {
        for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) {
          if (text.charCodeAt(i) === 92 /* \ */) i++;
          else if (text.charCodeAt(i) === 10) break;
        }
      }
    } else if (c === 123 || c === 91 || c === 40) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (c === 125 || c === 93 || c === 41) {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

interface Stats {
  fields: number;
  aliases: number;
  directives: number;
  /** Deepest field nesting, counting only fields outside introspection. */
  depth: number;
}

const ZERO: Stats = { fields: 0, aliases: 0, directives: 0, depth: 0 };

function checkTree(document: DocumentNode, limits: DocumentLimits): DocumentRefusal | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operations = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations += 1;
  }
  if (operations > MAX_OPERATIONS) {
    return limitRefusal('operations', `The document holds ${operations} operations; the limit is ${MAX_OPERATIONS}.`);
  }

  const nul = findNul(document);
  if (nul)
    return { code: ErrorCode.BAD_USER_INPUT, argumentName: nul, message: `${nul}: contains a NUL character, which text cannot hold` };

  // Response names of a selection set with inline fragments and spreads merged, as validation sees them.
  const namesMemo = new Map<string, Map<string, number>>();
  const responseNames = (set: SelectionSetNode, visiting: Set<string>): Map<string, number> => {
    const names = new Map<string, number>();
    const add = (name: string, n: number) => names.set(name, Math.min((names.get(name) ?? 0) + n, 1e9));
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) add((selection.alias ?? selection.name).value, 1);
      else if (selection.kind === Kind.INLINE_FRAGMENT)
        for (const [name, n] of responseNames(selection.selectionSet, visiting)) add(name, n);
      else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue;
        let merged = namesMemo.get(name);
        if (!merged) {
          visiting.add(name);
          merged = responseNames(fragment.selectionSet, visiting);
          visiting.delete(name);
          namesMemo.set(name, merged);
        }
        for (const [field, n] of merged) add(field, n);
      }
    }
    return names;
  };
  let sameName: DocumentRefusal | null = null;
  visit(document, {
    SelectionSet(set) {
      for (const [name, n] of responseNames(set, new Set())) {
        if (n > MAX_SAME_NAME) {
          sameName = limitRefusal('sameName', `"${name}" is selected ${n} times in one selection set; the limit is ${MAX_SAME_NAME}.`);
          return BREAK;
        }
      }
      return undefined;
    },
  });
  if (sameName) return sameName;

  // Fields, aliases, directives and depth with fragments expanded; each fragment is measured once.
  const statsMemo = new Map<string, Stats>();
  let introspection: DocumentRefusal | null = null;
  const measure = (set: SelectionSetNode, visiting: Set<string>, introspectionLists: number, inIntrospection: boolean): Stats => {
    let fields = 0;
    let aliases = 0;
    let directives = 0;
    let depth = 0;
    for (const selection of set.selections) {
      directives += selection.directives?.length ?? 0;
      let inner: Stats = ZERO;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const introspecting = inIntrospection || name === '__schema' || name === '__type';
        const lists = introspectionLists + (introspecting && INTROSPECTION_LISTS.has(name) ? 1 : 0);
        if (lists > MAX_INTROSPECTION_LISTS && !introspection) {
          introspection = limitRefusal(
            'introspection',
            `Introspection lists are nested ${lists} deep at "${name}"; the limit is ${MAX_INTROSPECTION_LISTS}.`,
          );
        }
        if (selection.selectionSet) inner = measure(selection.selectionSet, visiting, lists, introspecting);
        fields += 1 + inner.fields;
        aliases += (selection.alias ? 1 : 0) + inner.aliases;
        directives += inner.directives;
        depth = Math.max(depth, (introspecting ? 0 : 1) + inner.depth);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(selection.selectionSet, visiting, introspectionLists, inIntrospection);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue;
        // Fragments are measured outside introspection context; one used inside introspection is
        // measured again with it, which costs nothing a real document would notice.
        const key = `${name}\u0000${introspectionLists}\u0000${inIntrospection}`;
        let known = statsMemo.get(key);
        if (!known) {
          visiting.add(name);
          known = measure(fragment.selectionSet, visiting, introspectionLists, inIntrospection);
          visiting.delete(name);
          directives += fragment.directives?.length ?? 0;
          statsMemo.set(key, known);
        }
        inner = known;
      }
      fields += inner.fields;
      aliases += inner.aliases;
      directives += inner.directives;
      depth = Math.max(depth, inner.depth);
    }
    const cap = (n: number) => Math.min(n, 1e12);
    return { fields: cap(fields), aliases: cap(aliases), directives: cap(directives), depth };
  };

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const stats = measure(definition.selectionSet, new Set(), 0, false);
    if (introspection) return introspection;
    const directives = stats.directives + (definition.directives?.length ?? 0);
    const name = definition.name ? `Operation "${definition.name.value}"` : 'The operation';
    if (stats.depth > limits.maxDepth) {
      return limitRefusal(
        'depth',
        `${name} nests fields ${stats.depth} deep; the limit is ${limits.maxDepth}.`,
        ErrorCode.DEPTH_LIMIT_EXCEEDED,
      );
    }
    if (stats.aliases > limits.maxAliases) {
      return limitRefusal(
        'aliases',
        `${name} uses ${stats.aliases} aliases; the limit is ${limits.maxAliases}.`,
        ErrorCode.ALIAS_LIMIT_EXCEEDED,
      );
    }
    if (stats.fields > limits.maxFields) {
      return limitRefusal(
        'fields',
        `${name} selects ${stats.fields} fields with its fragments expanded; the limit is ${limits.maxFields}.`,
      );
    }
    if (directives > limits.maxDirectives) {
      return limitRefusal('directives', `${name} uses ${directives} directives; the limit is ${limits.maxDirectives}.`);
    }
  }
  return null;
}

/** `field.argument` of the first string literal holding U+0000, if any. */
function findNul(document: DocumentNode): string | null {
  let found: string | null = null;
  const holdsNul = (value: ValueNode): boolean => {
    switch (value.kind) {
      case Kind.STRING:
        return value.value.includes('\u0000');
      case Kind.LIST:
        return value.values.some(holdsNul);
      case Kind.OBJECT:
        return value.fields.some((field) => holdsNul(field.value));
      default:
        return false;
    }
  };
  visit(document, {
    Field(field) {
      for (const argument of field.arguments ?? ([] as readonly ArgumentNode[])) {
        if (holdsNul(argument.value)) {
          found = `${field.name.value}.${argument.name.value}`;
          return BREAK;
        }
      }
      return undefined;
    },
  });
  return found;
}

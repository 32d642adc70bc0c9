/**
 * The README's example operations as one GraphQL document: the explorer's first tab and Apollo
 * Sandbox's first document. Derived from the README when the pages are built, so that the two
 * never disagree. Each ```graphql block becomes one or more named operations under a comment
 * with the sentence that introduced it; anonymous operations are named after that sentence
 * (several operations in one document must have names).
 */
import { Kind, parse, type OperationDefinitionNode } from 'graphql';

export interface Example {
  /** The sentence before the block, without Markdown. */
  title: string;
  /** The block, its operations named. */
  document: string;
  operationNames: string[];
}

const FENCE = /^```graphql\s*\n([\s\S]*?)^```/gm;

export function readmeExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  const used = new Set<string>();
  for (const match of markdown.matchAll(FENCE)) {
    const title = titleBefore(markdown, match.index);
    const source = match[1];
    let operations: OperationDefinitionNode[];
    try {
      operations = parse(source).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    } catch (error) {
      throw new Error(`README: the graphql block after "${title}" does not parse: ${(error as Error).message}`, { cause: error });
    }
    const names = operations.map((operation) => operation.name?.value ?? uniqueName(nameFrom(title), used));
    // Insert names from the end, so that earlier offsets stay valid.
    let document = source;
    for (let index = operations.length - 1; index >= 0; index--) {
      const operation = operations[index];
      if (operation.name) continue;
      const start = operation.loc!.start;
      const keyword = operation.operation;
      document =
        source[start] === '{'
          ? `${document.slice(0, start)}${keyword} ${names[index]} ${document.slice(start)}`
          : `${document.slice(0, start + keyword.length)} ${names[index]}${document.slice(start + keyword.length)}`;
    }
    examples.push({ title, document: document.trimEnd(), operationNames: names });
  }
  return examples;
}

/** The whole default document: a header on how to use it, then every example. */
export function examplesDocument(examples: Example[]): string {
  const header = [
    '# Example operations from the README. Put the cursor in one and press Ctrl-Enter, or press the',
    '# run button and pick one. Writes and the audit trail need an API key: add it under Headers as',
    '# {"Authorization": "Bearer uscn_…"}. Subscriptions run over WebSocket with the same headers.',
  ].join('\n');
  const body = examples.map((example) => `${comment(example.title)}\n${example.document}`).join('\n\n');
  return `${header}\n\n${body}\n`;
}

/** Text as `#` comment lines of at most 100 characters. */
function comment(text: string): string {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > 100 && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The last sentence of the paragraph before `offset`, as plain text. */
function titleBefore(markdown: string, offset: number): string {
  const lines = markdown
    .slice(0, offset)
    .split('\n')
    .map((line) => line.trim());
  let end = lines.length - 1;
  while (end >= 0 && lines[end] === '') end--;
  let start = end;
  while (start > 0 && lines[start - 1] !== '' && !lines[start - 1].startsWith('#') && !lines[start - 1].startsWith('```')) start--;
  const text = lines
    .slice(start, end + 1)
    .join(' ')
    .replace(/^#+\s*/, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*?([^*]+)\*\*?/g, '$1')
    .replace(/:$/, '')
    .trim();
  // A long paragraph ends with the sentence that introduces the block.
  const sentences = text.split(/(?<=[.?!])\s+(?=[A-Z])/);
  return sentences[sentences.length - 1] || 'Example';
}

/** "Military-channel meetings and what came of them" → MilitaryChannelMeetingsAndWhatCameOfThem, at most six words. */
function nameFrom(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6);
  const name = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? name : `Example${name}`;
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let n = 2; used.has(candidate); n++) candidate = `${name}${n}`;
  used.add(candidate);
  return candidate;
}

/**
 * Reads a file in the data set's format: JSON lines, each validated against the record schema.
 * Needs no database; references to channels and other engagements are checked by the reader.
 */
import { engagementRecordSchema, fieldPath, type EngagementRecord } from './engagement.record';

export interface ImportError {
  /** 1-based line number in the file. */
  line: number;
  /** Path of the offending field inside the record, e.g. `outcomes[1].channel`; null for the whole line. */
  field: string | null;
  message: string;
}

export interface ParsedLine {
  line: number;
  record: EngagementRecord;
}

/** Parses and validates the shape of every line; blank lines are skipped but keep their numbers. */
export function parseEngagements(jsonl: string): { records: ParsedLine[]; errors: ImportError[] } {
  const records: ParsedLine[] = [];
  const errors: ImportError[] = [];
  const seen = new Map<string, number>();
  jsonl.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    if (!text.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      errors.push({ line, field: null, message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    const result = engagementRecordSchema.safeParse(json);
    if (!result.success) {
      for (const issue of result.error.issues) {
        errors.push({ line, field: fieldPath(issue.path), message: issue.message });
      }
      return;
    }
    const earlier = seen.get(result.data.id);
    if (earlier !== undefined) {
      errors.push({ line, field: 'id', message: `"${result.data.id}" is already used on line ${earlier}` });
      return;
    }
    seen.set(result.data.id, line);
    records.push({ line, record: result.data });
  });
  return { records, errors };
}

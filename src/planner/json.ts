/**
 * SQL that builds JSON exactly as GraphQL would serialise the same values, so that a planned
 * response is byte for byte what execution would have produced: keys in selection order, ids and
 * cursors encoded as src/common/global-id.ts and pagination/cursor.ts encode them.
 */
import { fragment, join, sql, type Sql } from '../db/sql';

/** json_build_object takes at most 100 arguments: 50 key/value pairs. */
const PAIRS_PER_CALL = 50;

/** A JSON object with these keys, in this order. */
export function jsonObject(entries: [string, Sql][]): Sql {
  if (entries.length === 0) return fragment`'{}'::json`;
  const chunks: Sql[] = [];
  for (let start = 0; start < entries.length; start += PAIRS_PER_CALL) {
    const pairs = entries.slice(start, start + PAIRS_PER_CALL).flatMap(([key, value]) => [sql`${key}::text`, value]);
    chunks.push(sql`json_build_object(${join(pairs)})`);
  }
  if (chunks.length === 1) return chunks[0];
  // Larger selections: the objects' texts are joined (json has no concatenation that keeps order).
  const texts = chunks.map((chunk, index) => {
    const text = sql`${chunk}::text`;
    if (index === 0) return sql`left(${text}, -1)`;
    if (index === chunks.length - 1) return sql`right(${text}, -1)`;
    return sql`substr(${text}, 2, length(${text}) - 2)`;
  });
  return sql`(${join(texts, " || ',' || ")})::json`;
}

/**
 * A JSON array of `element` over the rows of `from` (FROM … WHERE …), in `order`; [] for none.
 * A list with a limit cuts its rows in `from` (a subquery with ORDER BY and LIMIT).
 */
export function jsonList(element: Sql, from: Sql, order: Sql): Sql {
  return sql`(SELECT coalesce(json_agg(${element} ORDER BY ${order}), '[]'::json) ${from})`;
}

/** Stands in the data where the statement found the operation must be answered by execution. */
const FALLBACK_MARK = '\u0002fallback';
/** How the mark reads in the statement's JSON text (JSON escapes the control character). */
export const FALLBACK_IN_TEXT = JSON.stringify(FALLBACK_MARK);

/**
 * `value`, unless `condition` fails: then a mark that makes the planner hand the operation to
 * execution (for refusals that depend on the data, such as too many stats buckets).
 */
export function fallbackUnless(condition: Sql, value: Sql): Sql {
  return sql`CASE WHEN ${condition} THEN ${value} ELSE to_json(${FALLBACK_MARK}::text) END`;
}

/** base64url without padding, of `text` (an SQL text expression). */
export function base64url(text: Sql): Sql {
  return sql`rtrim(translate(replace(encode(convert_to(${text}, 'UTF8'), 'base64'), E'\\n', ''), '+/', '-_'), '=')`;
}

/** The global id of a row: base64url of "Type:id" (global-id.ts). */
export function globalId(type: string, id: Sql): Sql {
  return base64url(sql`${type}::text || ':' || ${id}::text`);
}

/**
 * A cursor: base64url of the JSON array [signature, ...values] exactly as JSON.stringify writes
 * it (no spaces), so that planned and executed cursors are the same strings.
 */
export function cursor(signature: string, values: Sql[]): Sql {
  const items = [sql`to_json(${signature}::text)::text`, ...values.map((value) => sql`to_json(${value})::text`)];
  return base64url(sql`'[' || ${join(items, " || ',' || ")} || ']'`);
}

/** "YYYY-MM-DD", or "YYYY-MM" when the meeting's precision is MONTH (formatPartialDate). */
export function partialDate(date: Sql, precision: Sql): Sql {
  return sql`to_char(${date}, CASE WHEN ${precision} = 'MONTH' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END)`;
}

/** A day as a cursor carries it: "YYYY-MM-DD". */
export function isoDay(date: Sql): Sql {
  return sql`to_char(${date}, 'YYYY-MM-DD')`;
}

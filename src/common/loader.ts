import DataLoader from 'dataloader';

/**
 * A per-request loader of the rows belonging to each key (e.g. a meeting's outcomes): one SQL
 * statement for all keys requested in the same tick, however many parents a page has.
 */
export function groupLoader<K extends number, R>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
    for (const row of await fetch(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key)!);
  });
}

/** A per-request loader of single rows by id; missing ids load as null. */
export function rowLoader<R extends { id: number }>(fetch: (ids: readonly number[]) => Promise<R[]>): DataLoader<number, R | null> {
  return new DataLoader<number, R | null>(async (ids) => {
    const rows = new Map((await fetch(ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

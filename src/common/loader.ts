import DataLoader from 'dataloader';

/**
 * A per-request loader of the rows belonging to each key (e.g. a meeting's outcomes): one SQL
 * statement for all keys requested in the same tick, however many parents a page has.
 */
export function groupLoader<K extends number, R>(fetch: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R[]> {
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

/** A parent's rows, at most `limit` of them. */
export interface LimitedKey {
  id: number;
  limit: number;
}

/**
 * Like groupLoader, for lists that grow with the data (a person's participations): each parent
 * gets at most `limit` rows, cut in the database. Keys asking for the same limit share one
 * statement; a request rarely mixes limits.
 */
export function limitedGroupLoader<R>(
  fetch: (ids: readonly number[], limit: number) => Promise<R[]>,
  keyOf: (row: R) => number,
): DataLoader<LimitedKey, R[], string> {
  return new DataLoader<LimitedKey, R[], string>(
    async (keys) => {
      const byLimit = new Map<number, number[]>();
      for (const { id, limit } of keys) byLimit.set(limit, [...(byLimit.get(limit) ?? []), id]);
      const groups = new Map<string, R[]>(keys.map((key) => [`${key.id}:${key.limit}`, []]));
      for (const [limit, ids] of byLimit) {
        for (const row of await fetch(ids, limit)) groups.get(`${keyOf(row)}:${limit}`)?.push(row);
      }
      return keys.map((key) => groups.get(`${key.id}:${key.limit}`)!);
    },
    { cacheKeyFn: (key) => `${key.id}:${key.limit}` },
  );
}

/** Counts of rows per parent id (0 for none). */
export function countLoader(fetch: (ids: readonly number[]) => Promise<{ id: number; n: number }[]>): DataLoader<number, number> {
  return new DataLoader<number, number>(async (ids) => {
    const counts = new Map((await fetch(ids)).map((row) => [row.id, row.n]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

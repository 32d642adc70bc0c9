/**
 * Slugs of people and organisations are derived from their names (API.md): lower case, words
 * joined by "-", accents folded, apostrophes dropped ("People's Republic of China" →
 * "peoples-republic-of-china").
 */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

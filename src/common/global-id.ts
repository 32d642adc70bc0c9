/**
 * Opaque global ids for the Node interface: base64url of "Type:databaseId". Clients must not
 * parse them; the encoding only has to round-trip and name the type for node(id:).
 */
export type NodeTypeName = 'Meeting' | 'Channel' | 'Outcome' | 'Person' | 'Organization';
const NODE_TYPES: ReadonlySet<string> = new Set<NodeTypeName>(['Meeting', 'Channel', 'Outcome', 'Person', 'Organization']);

export function toGlobalId(type: NodeTypeName, id: number): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/** Null for anything that is not an id this service issued. */
export function fromGlobalId(globalId: string): { type: NodeTypeName; id: number } | null {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):(\d{1,10})$/.exec(decoded);
  if (!match || !NODE_TYPES.has(match[1])) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) && id <= 2_147_483_647 ? { type: match[1] as NodeTypeName, id } : null;
}

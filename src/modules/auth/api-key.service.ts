/**
 * API keys: random 256-bit secrets, stored as SHA-256 only. A fast hash is enough here (unlike
 * passwords): a key has 256 bits of entropy, so there is nothing to brute-force.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, ApiRole, PrismaClient } from '../../generated/prisma/client';

const PREFIX = 'uscn_';

export const ROLE_RANK: Record<ApiRole, number> = { VIEWER: 1, EDITOR: 2, ADMIN: 3 };

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Creates a key and returns it in clear: the only time it is ever visible. */
export async function createApiKey(prisma: PrismaClient, name: string, role: ApiRole): Promise<{ key: string; apiKey: ApiKey }> {
  const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const apiKey = await prisma.apiKey.create({ data: { name, role, keyHash: hashKey(key) } });
  return { key, apiKey };
}

/** Revokes the key with this name; false when there is none, or it was already revoked. */
export async function revokeApiKey(prisma: PrismaClient, name: string): Promise<boolean> {
  const { count } = await prisma.apiKey.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: new Date() } });
  return count > 0;
}

/** Who is calling: nobody, someone with a key we do not accept, or a key holder. */
export type Caller =
  { kind: 'anonymous' } | { kind: 'rejected'; reason: string } | { kind: 'key'; id: number; name: string; role: ApiRole };

export async function callerFromHeader(prisma: PrismaClient, authorization: string | undefined): Promise<Caller> {
  if (!authorization) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return { kind: 'rejected', reason: 'the Authorization header must be "Bearer <key>"' };
  const apiKey = await prisma.apiKey.findUnique({ where: { keyHash: hashKey(match[1]) } });
  if (!apiKey) return { kind: 'rejected', reason: 'the API key is not known' };
  if (apiKey.revokedAt) return { kind: 'rejected', reason: 'the API key has been revoked' };
  return { kind: 'key', id: apiKey.id, name: apiKey.name, role: apiKey.role };
}

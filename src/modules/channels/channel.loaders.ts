import DataLoader from 'dataloader';
import type { Channel, PrismaClient } from '../../generated/prisma/client';
import { badUserInput } from '../../common/errors';
import { groupLoader } from '../../common/loader';

/**
 * The channels are reference data, written only by migrations (which run before the server
 * starts), so one read per database client serves every request for the life of the process.
 * A failed read is not kept.
 */
const channelLists = new WeakMap<PrismaClient, Promise<Channel[]>>();
/** The same lists once read, by id, so that resolvers can answer without a promise. */
const channelMaps = new WeakMap<PrismaClient, Map<number, Channel>>();

function loadChannels(prisma: PrismaClient): Promise<Channel[]> {
  let list = channelLists.get(prisma);
  if (!list) {
    list = prisma.channel.findMany({ orderBy: { position: 'asc' } });
    list.then(
      (channels) => channelMaps.set(prisma, new Map(channels.map((c) => [c.id, c]))),
      () => channelLists.delete(prisma),
    );
    channelLists.set(prisma, list);
  }
  return list;
}

export function createChannelLoaders(prisma: PrismaClient) {
  const allChannels = () => loadChannels(prisma);
  return {
    allChannels,
    /** A channel by id, synchronously once the list has been read (every filter and page reads it), else a promise. */
    channelNow: (id: number): Channel | null | Promise<Channel | null> => {
      const byId = channelMaps.get(prisma);
      return byId ? (byId.get(id) ?? null) : allChannels().then((list) => list.find((c) => c.id === id) ?? null);
    },
    channelById: new DataLoader(async (ids: readonly number[]) => {
      const byId = new Map((await allChannels()).map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    channelLinksByMeeting: groupLoader(
      (meetingIds) =>
        prisma.meetingChannel.findMany({
          where: { meetingId: { in: [...meetingIds] } },
          orderBy: [{ meetingId: 'asc' }, { position: 'asc' }],
        }),
      (link) => link.meetingId,
    ),
  };
}

/**
 * Channel slugs → ids: the one check of channel arguments (filters, timelines, `outcomes(channel:)`),
 * refusing an unknown slug with BAD_USER_INPUT naming the argument and the known slugs, so that a
 * typo is an error rather than an empty result.
 */
export async function channelIds(allChannels: () => Promise<Channel[]>, slugs: readonly string[], argumentName: string): Promise<number[]> {
  const channels = await allChannels();
  const bySlug = new Map(channels.map((c) => [c.slug, c.id]));
  return slugs.map((slug) => {
    const id = bySlug.get(slug);
    if (id === undefined)
      throw badUserInput(argumentName, `unknown channel "${slug}"; known channels: ${channels.map((c) => c.slug).join(', ')}`);
    return id;
  });
}

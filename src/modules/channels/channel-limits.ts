/**
 * Channels there can be: the channel table is reference data, written only by migrations (20
 * rows today). Lists of channels are costed at this many; a test keeps it at least the count.
 * (A file of its own, without decorators, so that the importer can use it outside the schema.)
 */
export const MAX_CHANNELS = 20;

/** Relay cursor connections with keyset pagination (see each module). */
export * from './page-args';
export * from './cursor';
export * from './connection';
export * from './keyset';

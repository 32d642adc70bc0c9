#!/usr/bin/env node
/**
 * The raw-SQL baseline: a minimal node:http server answering POST / {"scenario": key, "params"?: [...]} with the
 * body that scenario's single SQL statement (bench/scenarios.mjs) builds in PostgreSQL. It reads
 * and parses the request body like a GraphQL server would, uses a pg.Pool of the same size as
 * the service's default (10) and named prepared statements, and sends PostgreSQL's JSON text
 * through untouched: the practical lower bound for serving these responses over HTTP.
 *
 *   DATABASE_URL=postgresql://... PORT=4100 node bench/raw-server.mjs
 */
import http from 'node:http';
import pg from 'pg';
import { SCENARIOS } from './scenarios.mjs';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
pool.on('error', () => undefined);
const byKey = new Map(SCENARIOS.map((s) => [s.key, s]));

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, '{"status":"ok"}');
  if (req.method !== 'POST') return send(res, 405, '{"errors":[{"message":"POST only"}]}');
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      // `params`: the values of a scenario whose parameters depend on the data set (a slug, row
      // ids, a keyset position), picked once per run by prepareScenarios; otherwise its own.
      const { scenario, params } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const s = byKey.get(scenario);
      if (!s) return send(res, 400, `{"errors":[{"message":"unknown scenario"}]}`);
      const { rows } = await pool.query({ name: s.key, text: s.sql, values: params ?? s.params });
      send(res, 200, rows[0].body);
    } catch (error) {
      send(res, 500, JSON.stringify({ errors: [{ message: error.message }] }));
    }
  });
});

server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1');
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

# syntax=docker/dockerfile:1
# The service: built with its dev dependencies, shipped with its runtime dependencies only, code
# owned by root and read-only for the user it runs as. It expects DATABASE_URL (see
# docker-compose.yml); migrations are applied and an empty database is seeded at start-up.
#
# Node 24 (LTS), pinned; the CI runs the suite on 20, 22 and 24 (.ci/run), and .nvmrc says 24 too.
ARG NODE_IMAGE=node:24.22.3-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The lockfile's install-script approvals (allowScripts) need npm 11.
RUN npm install --global npm@11.19.1
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
COPY prisma ./prisma
# postinstall (scripts/postinstall.mjs) runs `prisma generate`, which needs prisma/schema.prisma.
COPY scripts/postinstall.mjs ./scripts/
RUN npm ci
COPY tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# The explorer and dashboard (web/) are built into dist/web; the explorer's first tab comes from
# the README's examples.
COPY web ./web
COPY README.md ./
RUN npm run build

# What `npm ci --omit=dev` installs, less what only tools need:
# - --omit=optional: @prisma/client names the Prisma CLI and TypeScript as optional peers, so a
#   plain --omit=dev still installs both (and Prisma Studio, ~250 MB with their dependencies);
# - --ignore-scripts: no runtime dependency needs an install script;
# - the Prisma client's query compilers for other databases (MySQL, SQLite, SQL Server,
#   CockroachDB) and its "small" variants: the generated client loads the PostgreSQL "fast" one.
FROM ${NODE_IMAGE} AS runtime-dependencies
WORKDIR /app
RUN npm install --global npm@11.19.1
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts \
 && find node_modules/@prisma/client/runtime -type f \( \
      -name 'query_compiler_*_bg.mysql.*' -o -name 'query_compiler_*_bg.sqlite.*' \
      -o -name 'query_compiler_*_bg.sqlserver.*' -o -name 'query_compiler_*_bg.cockroachdb.*' \
      -o -name 'query_compiler_small_bg.*' \) -delete

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    NPM_CONFIG_CACHE=/tmp/.npm \
    NPM_CONFIG_UPDATE_NOTIFIER=false
# Root-owned, world-readable, writable by nobody but root: the server (user `node`) cannot change
# its own code. It writes nothing to disk (no DATA_DIR: the database is DATABASE_URL).
COPY --from=runtime-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
# For `npm run key:create` and the other npm scripts inside the container: they build first, and
# scripts/build.mjs finds no compiler here and uses dist/ as it is.
COPY package.json ./
COPY scripts/build.mjs ./scripts/
RUN chmod -R a-w,a+rX /app
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly, not npm: SIGTERM from `docker stop` must reach the server to drain requests.
CMD ["node", "dist/src/index.js"]

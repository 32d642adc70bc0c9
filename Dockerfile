# syntax=docker/dockerfile:1
# The service, built with its dev dependencies and shipped without them. It expects DATABASE_URL
# (see docker-compose.yml); migrations are applied and an empty database is seeded at start-up.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
# The lockfile's install-script approvals (allowScripts) need npm 11.
RUN npm install --global npm@11.19.1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall runs `prisma generate`, which needs prisma/schema.prisma.
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# The explorer and dashboard (web/) are built into dist/web; the explorer's first tab comes from
# the README's examples.
COPY web ./web
COPY README.md ./
RUN npm run build && npm prune --omit=dev

FROM node:20.20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/prisma ./prisma
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly, not npm: SIGTERM from `docker stop` must reach the server to drain requests.
CMD ["node", "dist/src/index.js"]

# The Tickstream app image: the web server (Next.js + Socket.IO, dist/server.js), the ingest and stream
# workers (dist/workers/*.js) and the migrations (drizzle/, `npm run db:migrate`). docker-compose.yml
# runs one container per role with `npm run start:web | worker:ingest | worker:stream | db:migrate`.

FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
# npm install --no-save installs the locked versions; `npm ci` refuses this lock (see scripts/lib/ensure-deps.sh).
RUN npm install --no-save --no-audit --no-fund
COPY . .
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000
# Sources stay beside the build: next.config.ts validates the environment through lib/env.ts at start,
# db:migrate runs scripts/db-migrate.ts with tsx, and the replay source reads data/minute-bars.
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
CMD ["npm", "run", "start:web"]

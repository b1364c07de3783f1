# Steady's image: `docker build -t steady .` (docker-compose.yml and deploy/kubernetes/ use it).
# Node 24 is the current LTS line (supported to April 2028); the code also runs on Node 20.15+ and 22
# (package.json "engines"). Another LTS: docker build --build-arg NODE_IMAGE=node:22-bookworm-slim .
ARG NODE_IMAGE=node:24-bookworm-slim

# Build stage: compile TypeScript with the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY db ./db
COPY scripts ./scripts
RUN npx tsc -p tsconfig.build.json

# Production dependencies only, installed apart so the run stage gets no compiler and no npm cache.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Run stage: Node, the production dependencies and the compiled JavaScript; nothing is compiled here.
#   Migrations:  node dist/src/migrate-command.js   (npm run migrate:dist)
#   Server:      node dist/src/main.js              (the default command; it also applies pending migrations)
#   Teams app:   node dist/scripts/package-teams.js
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CONSOLE=off \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY manifests ./manifests
# Without DATABASE_URL, PGlite keeps its data here: mount a volume on it (-v steady-data:/app/data). The node user (uid 1000)
# owns it; nothing else in the image is writable by the process.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness: the process answers HTTP. The slim image has no curl; Node's own fetch asks.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Steady stops gracefully on SIGTERM: give it more than SHUTDOWN_GRACE_SECONDS (docker stop -t, compose
# stop_grace_period, Kubernetes terminationGracePeriodSeconds).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]

# syntax=docker/dockerfile:1
# netdiag API image: `docker build -f infra/docker/api.Dockerfile -t netdiag-api .` (from the repository root).
# Runs exactly what `npm run start:api` runs (node scripts/start-process.mjs api): one API process configured only by
# its environment (tokens, REDIS_URL, …; nothing is made up). Read-only root filesystem friendly: the process writes
# nothing but an audit log, if MCP_AUDIT_FILE points into a volume (/var/lib/netdiag). See docs/design.md, "Deployment".

# --- build: dev dependencies, esbuild bundle -------------------------------------------------------------------------
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/postinstall.mjs scripts/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- deps: production dependencies only (the bundle keeps packages external) -----------------------------------------
FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime -----------------------------------------------------------------------------------------------------------
FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    MCP_SERVER_HOST=0.0.0.0 \
    MCP_SERVER_PORT=8080
RUN groupadd --system --gid 10001 netdiag && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin netdiag \
 && mkdir -p /var/lib/netdiag && chown 10001:10001 /var/lib/netdiag
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/dist/api.mjs ./dist/api.mjs
# The API's lazily loaded parts (scripts/build.mjs: code splitting; the MCP SDK is loaded on the first /mcp request).
COPY --from=build /src/dist/chunks ./dist/chunks
COPY --from=build /src/scripts/start-process.mjs /src/scripts/healthcheck.mjs ./scripts/
VOLUME ["/var/lib/netdiag"]
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "scripts/healthcheck.mjs", "api"]
CMD ["node", "scripts/start-process.mjs", "api"]

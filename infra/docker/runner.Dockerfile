# syntax=docker/dockerfile:1
# netdiag runner image: `docker build -f infra/docker/runner.Dockerfile -t netdiag-runner .` (from the repository root).
# Runs exactly what `npm run start:runner` runs (node scripts/start-process.mjs runner) under tini as PID 1, so orphans
# the runner's jobs leave are reaped (docs/security.md, "Sandbox"). Outbound calls only; no port. Read-only root
# filesystem friendly: it writes nothing (jobs get a private /tmp only where the sandbox may mount one).
# Capabilities and what the sandbox can do with each: docs/design.md, "Deployment", and infra/README.md.

# --- build: dev dependencies, esbuild bundle, the static sandbox helper (gcc) ------------------------------------------
FROM node:20.20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/postinstall.mjs scripts/
RUN npm ci --no-audit --no-fund
COPY . .
# The helper is optional for `npm run build`, but not for this image: fail the build if gcc could not make it.
RUN npm run build && test -x dist/netdiag-sandbox

# --- deps: production dependencies only -------------------------------------------------------------------------------
FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime -----------------------------------------------------------------------------------------------------------
FROM node:20.20-bookworm-slim AS runtime
# The tools' binaries (README, "The two commands") and tini. No setuid bits: a job gets CAP_NET_RAW from the sandbox
# helper (root profile) or uses ICMP datagram sockets (non-root profile), never a setuid binary, and under
# no_new_privs a setuid bit would do nothing anyway.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini iputils-ping nmap traceroute dnsutils mtr-tiny \
 && rm -rf /var/lib/apt/lists/* \
 && find / -xdev -type f -perm /6000 -exec chmod a-s {} + \
 && groupadd --system --gid 10001 netdiag && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin netdiag
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/dist/runner.mjs ./dist/runner.mjs
# Root-owned and not writable by others, or the runner refuses it (runner/src/sandbox/capabilities.ts).
COPY --from=build --chown=0:0 --chmod=0755 /src/dist/netdiag-sandbox ./dist/netdiag-sandbox
COPY --from=build /src/scripts/start-process.mjs /src/scripts/healthcheck.mjs ./scripts/
USER 10001:10001
# The runner has no port: its health is whether it reaches its API (scripts/healthcheck.mjs).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "scripts/healthcheck.mjs", "runner"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "scripts/start-process.mjs", "runner"]

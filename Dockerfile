# syntax=docker/dockerfile:1
# The open-dcr sandbox as a container. Two stages: the workspace is built and packed as
# `pnpm publish` would (test/pack.e2e.test.ts checks those tarballs install and start with npm
# outside the workspace), then only the packed packages and their production dependencies are
# installed on a clean base. Debian (glibc), not Alpine: the lowdb store's file locks
# (fs-native-extensions) ship glibc prebuilds only. Not built on the development machine (no
# Docker there): test/container.test.ts checks its structure instead.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
RUN npm install --global pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm run build \
 && pnpm --recursive pack --pack-destination /packs

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    MTLS_PORT=8443 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /packs /packs
# The sandbox and the workspace packages it depends on, from their tarballs (the OpenAPI document and
# the LICENSE are inside them); the store conformance suite is left out (a test tool).
RUN npm init --yes > /dev/null \
 && npm install --omit=dev --no-audit --no-fund \
      /packs/open-dcr-express-*.tgz /packs/open-dcr-store-lowdb-*.tgz /packs/open-dcr-store-postgres-*.tgz \
      /packs/open-dcr-testkit-*.tgz /packs/open-dcr-sandbox-*.tgz \
 && rm -rf /packs /root/.npm \
 && mkdir -p /data \
 && chown node:node /data
# Keys, kits, portal apps and (without DATABASE_URL) the clients live here.
VOLUME ["/data"]
USER node
EXPOSE 8080 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "node_modules/@open-dcr/sandbox/bin/open-dcr-sandbox.js"]

# syntax=docker/dockerfile:1
# The image runs what scripts/check-package.sh checks in CI (no container engine there): the
# packed tarball, installed with production dependencies only, started as its bin.

# Build on Node 24: npm ci, then npm pack (its prepack builds dist/ and the console).
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json schema.graphql README.md LICENSE ./
COPY src ./src
COPY console ./console
RUN npm pack --pack-destination /tmp && mv /tmp/kube-node-gateway-*.tgz /tmp/kube-node-gateway.tgz

# Install the tarball alone, with production dependencies only, into an empty folder.
FROM node:24-bookworm-slim AS install
WORKDIR /app
COPY --from=build /tmp/kube-node-gateway.tgz /tmp/kube-node-gateway.tgz
RUN npm init -y >/dev/null \
 && npm install --omit=dev --no-audit --no-fund /tmp/kube-node-gateway.tgz \
 && rm -f package.json package-lock.json

# Run on distroless Node 24: no shell, no package manager, a non-root user (65532).
FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
COPY --from=install /app/node_modules ./node_modules
ENV NODE_ENV=production
USER 65532:65532
EXPOSE 4000
ENTRYPOINT ["/nodejs/bin/node", "/app/node_modules/kube-node-gateway/dist/cli.js"]
CMD ["serve", "--host", "0.0.0.0"]

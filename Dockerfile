# The voxops controller on Node (the Fly.io mirror): the esbuild bundle of `voxops mirror`.
# Build stage: the locked dependencies and the controller's sources, bundled into one file.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY deploy/build-mirror.js deploy/node-bundle.js ./deploy/
COPY edge ./edge
COPY protocol ./protocol
RUN node deploy/build-mirror.js dist/voxops-mirror.mjs

# Run stage: the bundle alone (no node_modules, no TypeScript), run as the unprivileged `node` user.
FROM node:24-bookworm-slim
WORKDIR /app
COPY --from=build /src/dist/voxops-mirror.mjs ./voxops-mirror.mjs
ENV NODE_ENV=production
EXPOSE 8080
# Fly mounts the volume at /data owned by root: give it to `node`, then drop root for good
# (setpriv is in util-linux, part of every Debian image) before the mirror starts.
CMD ["sh", "-c", "mkdir -p /data && chown node:node /data && exec setpriv --reuid=node --regid=node --init-groups --no-new-privs node /app/voxops-mirror.mjs"]

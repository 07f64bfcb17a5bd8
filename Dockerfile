# The voxops controller on Node (the Fly.io mirror): `node bin/voxops.js mirror`.
FROM node:24-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
COPY bin ./bin
COPY edge ./edge
ENV NODE_ENV=production
EXPOSE 8080
CMD ["node", "bin/voxops.js", "mirror"]

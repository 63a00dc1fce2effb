# Build stage: the toolchain better-sqlite3 compiles with (no prebuilt binary can be fetched).
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm ci && npm prune --omit=dev

# Runtime stage: slim, non-root, state and reports on a volume.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    OMNIZE_STATE=/data/omnize-sync.db \
    OMNIZE_REPORT_DIR=/data/reports
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
RUN ln -s /app/bin/omnize-sync.js /usr/local/bin/omnize-sync && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
WORKDIR /data
ENTRYPOINT ["omnize-sync"]
CMD ["--help"]

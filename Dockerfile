# omnize-sync as a container: `docker build -t omnize-sync .`
# The build steps are replayed without Docker by scripts/replay-dockerfile.ts
# (run in CI), which reads this file: keep to WORKDIR, ENV, COPY and RUN in the
# build stage, or teach the replay the new instruction.

# Build stage: the full Node image carries python3, make and g++. better-sqlite3
# has no prebuilt binary to fetch here, so node-gyp compiles it from source.
FROM node:20-bookworm AS build
WORKDIR /app
ENV npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false

# Dependencies first, on their own layer: compiling better-sqlite3 takes about
# two minutes and is redone only when the lockfile changes, not on every edit
# of src/. --ignore-scripts skips `prepare` (src/ is not here yet); `npm rebuild`
# then runs the dependencies' install scripts, which compile the native addon.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild

# The program: `prepare` is `npm run build` (tsc, src/ to dist/, then esbuild bundles it into
# dist/bundle/, which bin/omnize-sync.js loads, with its V8 code cache); it needs the
# devDependencies, which the prune then removes from the node_modules that the
# runtime stage copies (native addon included, already compiled). V8 uses a code
# cache only under the flags it was made with: the one for the runtime stage's
# NODE_OPTIONS is made here (keep the two the same; test/docker checks they are).
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts/bundle.js scripts/code-cache.js scripts/assert-on-first-failure.cjs ./scripts/
COPY src ./src
# The code cache is made after the quickstart's apply and plan against the sandbox (code-cache.js).
COPY fixtures/demo ./fixtures/demo
COPY fixtures/sandbox/demo.json ./fixtures/sandbox/
RUN npm run build && npm prune --omit=dev
RUN NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=4" node scripts/code-cache.js

# Runtime stage: slim (no compiler), non-root, state and reports on a volume.
FROM node:20-bookworm-slim AS runtime
# OMNIZE_TOKEN_FILE is not set here, so `validate` and `--help` run without a
# secret. For API commands mount the token as a file (a Docker Compose or
# Kubernetes secret, or a read-only bind mount) and point to it, e.g.
# OMNIZE_TOKEN_FILE=/run/secrets/omnize_token. See deploy/kubernetes/.
# The V8 heap bounded for a 256 MiB container: a 100,000-agent migration peaks at 237 MiB
# resident with these flags (bench:migration, which runs the CLI with them), its live heap
# ~106 MiB. Without them V8 sizes its heap from the machine's memory and lets garbage grow
# (519 MiB for the same run); small young generations trade a little CPU for ~20 MiB.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=4" \
    OMNIZE_STATE=/data/omnize-sync.db \
    OMNIZE_REPORT_DIR=/data/reports
WORKDIR /app
# Owned by root and read-only for the runtime user: the program cannot be altered by the job it runs.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
RUN ln -s /app/bin/omnize-sync.js /usr/local/bin/omnize-sync \
 && mkdir -p /data/reports \
 && chown -R node:node /data
# The image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric user.
USER 1000:1000
# The state store (SQLite, the only record of each account's Omnize ID) and the
# reports must outlive the container: mount a volume here.
VOLUME ["/data"]
WORKDIR /data
ENTRYPOINT ["omnize-sync"]
CMD ["--help"]

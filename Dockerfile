# The server image: Nakama 3.26.0 with this module and its configuration.
#
#   docker build -t nakama-rejoin .            (or: docker compose up, which builds it)
#
# Stage 1 bundles the module with the project's pinned toolchain (the lockfile); stage 2 is the
# pinned Nakama image with only the bundle and local.yml added. DB_ADDRESS says where PostgreSQL
# is (user:password@host:port/database); the schema is migrated at every start (a no-op when
# current).
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The root package's dependencies only (the benchmarks' live in bench/, never installed here), and
# no install scripts: bundling needs no native module.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY types ./types
COPY src ./src
RUN npm run build

# The integration suite's runner (`docker compose --profile test run --rm tests`): Node, psql and
# the server image's own Nakama binary, so the suite starts, restarts, kills and adds servers
# itself against the compose PostgreSQL, as it does on a developer's machine. It holds no source:
# the service copies the checkout in at run time (scripts/copy-checkout.sh). Not part of the
# server image: the stage below is the default target.
FROM node:20.20.2-bookworm-slim AS tests
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
COPY --from=heroiclabs/nakama:3.26.0 /nakama/nakama /usr/local/bin/nakama
WORKDIR /src

FROM heroiclabs/nakama:3.26.0
COPY --from=build /src/build/index.js /nakama/data/modules/index.js
COPY local.yml /nakama/data/local.yml
ENV DB_ADDRESS=postgres:localdb@postgres:5432/nakama
EXPOSE 7349 7350 7351
HEALTHCHECK --interval=3s --timeout=3s --retries=10 CMD ["/nakama/nakama", "healthcheck"]
# Extra flags (more --config files, ping timing, metrics) are appended after the image's own.
ENTRYPOINT ["/bin/sh", "-ec", "/nakama/nakama migrate up --database.address \"$DB_ADDRESS\" && exec /nakama/nakama --config /nakama/data/local.yml --database.address \"$DB_ADDRESS\" --runtime.path /nakama/data/modules \"$@\"", "nakama"]
CMD []

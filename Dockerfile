# syntax=docker/dockerfile:1
# costs-server with the /costs page, and costs-sync for the scheduled sync: one image, its job
# picked by deploy/costs-entrypoint (server, migrate, sync, sync-every, healthcheck).
#
#   docker build -t costs .
#   docker run --rm -p 127.0.0.1:8080:8080 -e DATABASE_URL=postgresql://costs_reader:...@host/db \
#     -e COSTS_PUBLIC_READS=1 costs
#
# compose.yaml runs it with Postgres and a sync every hour. Three stages: the page (Node), the
# binaries (Debian's compiler and -dev packages), and a runtime holding only the shared
# libraries, the two binaries and the page, run as an unprivileged user.

ARG DEBIAN_RELEASE=bookworm

# ---- the page ----------------------------------------------------------------------------------
FROM node:22-bookworm-slim AS page
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
# Empty: the page calls the API on its own origin, this server. A page hosted elsewhere is built
# with the server's URL here (docker build --build-arg NEXT_PUBLIC_COSTS_API_URL=https://...).
ARG NEXT_PUBLIC_COSTS_API_URL=""
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_PUBLIC_COSTS_API_URL=${NEXT_PUBLIC_COSTS_API_URL}
RUN npm run build

# ---- the binaries ------------------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake g++ make pkg-config ca-certificates libpqxx-dev libpistache-dev nlohmann-json3-dev \
      libboost-program-options-dev libcurl4-openssl-dev libsimdjson-dev libsqlite3-dev \
      libzstd-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY libcosts/ libcosts/
COPY sync/ sync/
COPY server/ server/
COPY supabase/migrations/ supabase/migrations/
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCOSTS_BUILD_TESTS=OFF -DCOSTS_BUILD_SERVER=ON \
 && cmake --build build -j"$(nproc)" \
 && cmake --install build --prefix /opt/costs --strip

# ---- the runtime -------------------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates tzdata libpq5 libpqxx-6.4 libpistache0 libboost-program-options1.74.0 \
      libcurl4 libsimdjson14 libsqlite3-0 libzstd1 libssl3 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 costs \
 && useradd --uid 10001 --gid costs --home-dir /var/lib/costs --create-home \
      --shell /usr/sbin/nologin costs
COPY --from=build /opt/costs/bin/costs-server /opt/costs/bin/costs-sync /usr/local/bin/
COPY --from=build /opt/costs/share/costs/ /usr/local/share/costs/
COPY --from=page /src/frontend/out/ /usr/share/costs/page/
COPY --chmod=0755 deploy/costs-entrypoint /usr/local/bin/costs-entrypoint
# The sync's spool, cursors and Notion state live in COSTS_HOME: a volume keeps them.
ENV COSTS_HOME=/var/lib/costs COSTS_LISTEN=0.0.0.0:8080 COSTS_PAGE_DIR=/usr/share/costs/page
VOLUME ["/var/lib/costs"]
USER costs:costs
WORKDIR /var/lib/costs
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["costs-entrypoint", "healthcheck"]
ENTRYPOINT ["costs-entrypoint"]
CMD ["server"]

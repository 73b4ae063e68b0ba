# One image recipe for every service: `docker build --build-arg SERVICE=base -t station-fleet/base .`
# The build stage compiles the whole workspace (project references need the libs); the runtime
# stage keeps production dependencies and compiled output, and runs services/$SERVICE.
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY . .
# npm install, not npm ci: the lockfile is made where only linux builds of per-platform packages resolve.
RUN npm install --no-audit --no-fund \
 && npx tsc -b \
 && npm prune --omit=dev --no-audit --no-fund \
 && find . -name '*.tsbuildinfo' -delete

FROM node:24-bookworm-slim
ARG SERVICE=base
# Debian packages a service runs as tools (the translator: ffmpeg, pocketsphinx, apertium, espeak-ng).
ARG APT_PACKAGES=""
RUN if [ -n "$APT_PACKAGES" ]; then apt-get update && apt-get install -y --no-install-recommends $APT_PACKAGES && rm -rf /var/lib/apt/lists/*; fi \
 && mkdir -p /data && chown node:node /data
ENV NODE_ENV=production SERVICE=${SERVICE} PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/libs ./libs
COPY --from=build --chown=node:node /app/services ./services
COPY --from=build --chown=node:node /app/tools ./tools
USER node
EXPOSE 3000
# Replicas share one environment: each names itself after its container unless INSTANCE_ID is set.
CMD ["sh", "-c", "export INSTANCE_ID=\"${INSTANCE_ID:-$SERVICE-$(hostname)}\"; exec node services/$SERVICE/dist/src/main.js"]

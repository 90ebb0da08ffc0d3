# Sinergi's one image for the worker, the API and the ministry simulators; docker-compose.yml
# gives each service its own command (node dist/<service>/main.js). The build stage compiles the
# product with `npm run build` (tsc into dist/, plus the prebuilt workflow bundle); the runtime
# stage has production dependencies and dist/ only: no TypeScript, no tsx, no webpack at start-up.

# `npm install` rather than `npm ci` in both stages: the lockfile may lack other platforms'
# optional binaries, which `npm ci` would reject; with an in-sync lockfile `npm install`
# installs exactly the locked versions.
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20.19.5-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Dependencies before the build output, so a source-only change reuses this layer.
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read at run time by path: dev credentials and contacts (mount your own over them), and the
# reviewed holiday files each run's deadlines are counted against.
COPY config/*.json ./config/
COPY config/holidays/ ./config/holidays/
# The records store's schema, applied by the api and the workers at start (records/records-db.ts).
COPY records/migrations/ ./records/migrations/
# DATA_DIR (relative to /app) has to be writable by the unprivileged user.
RUN mkdir -p data && chown node:node data
USER node

EXPOSE 8080 9101 9102 9103 9104
# Exec form: node is PID 1, so Docker's SIGTERM reaches the app, which drains.
CMD ["node", "dist/api/main.js"]

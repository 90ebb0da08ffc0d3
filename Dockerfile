# Sinergi's one image for the worker, the API and the ministry simulators; docker-compose.yml
# gives each service its own command. TypeScript runs through tsx as in development, so there
# is no build output to keep in step with the source.
FROM node:20.19.5-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies before source, so a source-only change reuses this layer. tsx is listed under
# "dependencies", so dev tools (tsc, vitest, eslint) stay out of the image; the tsx check makes
# the build fail loudly if it ever moves to devDependencies.
# `npm install` rather than `npm ci`: the lockfile was written where the registry lacks other
# platforms' optional binaries, which `npm ci` would reject; with an in-sync lockfile
# `npm install` installs exactly the locked versions.
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && node_modules/.bin/tsx --version

COPY . .
# DATA_DIR (relative to /app) has to be writable by the unprivileged user.
RUN mkdir -p data && chown node:node data
USER node

EXPOSE 8080 9101 9102 9103 9104
# Called directly rather than through npx, so no npm process sits between Docker's SIGTERM
# and tsx (which relays it to the app).
CMD ["node_modules/.bin/tsx", "api/main.ts"]

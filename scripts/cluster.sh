#!/usr/bin/env bash
# npm run cluster: the docker-compose.yml topology without Docker (README.md, "Cluster"). Installs
# what is missing (npm packages, the pinned CLI, and once, a few minutes, the Temporal server, its
# sql tool and the UI server), builds the compiled product if there is none, then starts it all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-temporal-server.sh
# The cluster runs dist/, as the Docker image does: after changing the code, npm run build.
if [ ! -f dist/worker/workflows.bundle.js ] || [ ! -f dist/api/main.js ]; then
  npm run -s build
fi
# A Ctrl-C reaches the terminal's whole process group, PostgreSQL included (its library starts it
# there): the launcher runs in a session of its own (setsid) and is told here, once (npm passes the
# signal on too), so it stops the API and the workers first and PostgreSQL last. A second Ctrl-C,
# two seconds later or more, stops at once.
setsid node --import tsx dev/cluster/main.ts &
launcher=$!
last=0
forward() {
  local now
  now=$(date +%s)
  if [ $((now - last)) -ge 2 ]; then
    last=$now
    kill -INT "$launcher" 2>/dev/null || true
  fi
}
trap forward INT TERM HUP
status=0
wait "$launcher" || status=$?
while kill -0 "$launcher" 2>/dev/null; do
  status=0
  wait "$launcher" || status=$?
done
exit "$status"

#!/bin/sh
# One-shot job (admin-tools image): creates Temporal's two PostgreSQL databases and brings their
# schemas to the version this admin-tools image ships. Every step is idempotent (an existing
# database or a newer version is left alone), so it runs on every `up` and is also the upgrade
# step after bumping the server and admin-tools images together.
# Connection: SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (temporal-sql-tool's env).
set -eu
# The admin-tools image keeps the schemas here; npm run cluster points TEMPORAL_SCHEMA_DIR at the
# server module's own copy (.tools/temporal-schema).
schema=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12
# Database names are the server image's defaults (DBNAME, VISIBILITY_DBNAME).
for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  dir=${pair#*:}
  temporal-sql-tool --db "$db" create
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$schema/$dir/versioned"
done
# Sinergi's records store lives beside them; its tables are migrated by the api and workers at start.
temporal-sql-tool --db sinergi create
echo "Temporal schemas are up to date"

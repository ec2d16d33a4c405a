#!/usr/bin/env bash
# A newcomer's install, outside the workspace: packs every package, installs the tarballs with npm into a fresh
# folder, type-checks a small service strictly with node16 and with bundler resolution (skipLibCheck false), then
# runs it against real Kafka and Postgres (KAFKA_BROKERS, POSTGRES_URL; defaults 127.0.0.1:9092 and :5432) with
# this machine's node and with every node binary given as an argument.
# Usage: scripts/packaging/smoke.sh [NODE_BINARY...]   Needs a build first (pnpm build). LTY_SMOKE_KEEP=1 keeps the folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$(mktemp -d /tmp/lty-newcomer-XXXXXX)"
if [ "${LTY_SMOKE_KEEP:-0}" != 1 ]; then trap 'rm -rf "$dir"' EXIT; fi
echo "smoke: in $dir"
bash "$ROOT/scripts/packaging/pack.sh" "$dir/tarballs" >/dev/null
cp "$ROOT"/scripts/packaging/smoke/*.ts "$ROOT"/scripts/packaging/smoke/tsconfig.*.json "$dir/"
cd "$dir"
ts="$(node -p "require('$ROOT/node_modules/typescript/package.json').version")"
cat >package.json <<JSON
{ "name": "lty-newcomer", "private": true, "type": "module" }
JSON
# What a JSON-only service on Postgres installs: core and the store. It must pull in none of the Avro codec's
# libraries, nor the OpenTelemetry API (an optional peer: the service below runs, and every file type-checks,
# without it). The other packages (the CLI, whose catalog parser reads Avro schemas, the testkit, the other adapters)
# come after the check.
npm install --no-audit --no-fund --loglevel=error ./tarballs/*-core-*.tgz ./tarballs/*-postgres-*.tgz zod pg >/dev/null
for absent in avsc @kafkajs/confluent-schema-registry mappersmith @opentelemetry/api; do
  if [ -e "node_modules/$absent" ]; then echo "smoke: $absent was installed for a JSON-only service" >&2; exit 1; fi
done
npm install --no-audit --no-fund --loglevel=error ./tarballs/*.tgz >/dev/null
npm install --no-audit --no-fund --loglevel=error --save-dev "typescript@$ts" @types/node@22 @types/pg >/dev/null
npx tsc -p tsconfig.bundler.json
echo "smoke: strict tsc with bundler resolution, skipLibCheck false: ok"
npx tsc -p tsconfig.node16.json
echo "smoke: strict tsc with node16 resolution, skipLibCheck false: ok"
for node in node "$@"; do
  "$node" dist/main.js
done
# A service on the Avro codec installs its two libraries; the ./avro entry then type-checks strictly both ways.
npm install --no-audit --no-fund --loglevel=error avsc @kafkajs/confluent-schema-registry >/dev/null
cp "$ROOT/scripts/packaging/smoke/avro-user.ts.txt" avro-user.ts
npx tsc -p tsconfig.bundler.json
npx tsc -p tsconfig.node16.json
echo "smoke: @listen-to-yourself/core/avro: strict tsc with bundler and node16 resolution, skipLibCheck false: ok"

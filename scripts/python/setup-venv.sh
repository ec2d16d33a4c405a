#!/usr/bin/env bash
# Creates or updates the Python virtualenv $ROOT/.venv (git-ignored) with the interop clients pinned in
# requirements.txt (confluent-kafka with Avro and schema-registry support). Idempotent and fast when nothing changed:
# a stamp file in the venv holds the hash of requirements.txt and the Python version it was installed for.
# Prints the venv's python path on its last line, so callers can do: PY="$(bash scripts/python/setup-venv.sh | tail -n 1)".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${LTY_VENV_DIR:-$ROOT/.venv}"
REQ="$HERE/requirements.txt"
STAMP="$VENV/.requirements.sha256"
PYTHON="${PYTHON:-python3}"

want="$(sha256sum "$REQ" | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "$VENV/bin/python"
  exit 0
fi

# A venv built for another Python version is rebuilt rather than patched.
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "${want#* }" != "$(cut -d' ' -f2 "$STAMP")" ]; then
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "python venv: creating $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi
rm -f "$STAMP"
echo "python venv: installing $REQ" >&2
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ" >&2
"$VENV/bin/python" -c 'from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer' >&2
echo "$want" >"$STAMP"
echo "$VENV/bin/python"

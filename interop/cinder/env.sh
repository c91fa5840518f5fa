# Shared settings for interop/cinder/{up,down}. Sourced, not run.
# shellcheck shell=bash
CINDER_VERSION=29.0.0
WORKSPACE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${CINDER_STATE:-$WORKSPACE/target/interop/cinder}"
VENV="${CINDER_VENV:-$WORKSPACE/target/interop/cinder-venv}"
LOGS="$STATE/logs"
RUN="$STATE/run"
CONF_DIR="$STATE/etc"
CONF="$STATE/cinder.conf"
PORT="${CINDER_PORT:-8776}"
MYSQL_PORT="${CINDER_MYSQL_PORT:-3306}"
RABBIT_PORT="${CINDER_RABBIT_PORT:-5672}"
WAIT="${CINDER_WAIT:-120}"
BASE_URL="http://127.0.0.1:$PORT"
CINDER_HOST=cinder-interop
DB_USER=cinder
DB_PASS=cinder-interop-pw
RMQ_USER=cinder
RMQ_PASS=cinder-interop-pw
RMQ_NODE=rabbit-cinder@localhost
# noauth: the token is "<user_id>:<project_id>"; the project in the URL must
# equal the token's project. 32-hex ids, like Keystone's.
PROJECT_ID=0123456789abcdef0123456789abcdef
USER_ID=fedcba9876543210fedcba9876543210
# readiness probe runs in its own project so the one above starts empty
PROBE_PROJECT=ffffffffffffffffffffffffffffffff

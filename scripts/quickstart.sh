#!/usr/bin/env bash
# From a fresh clone to a running Stock-SaaS.
#
#   scripts/quickstart.sh
#
# 1. Writes .env from .env.example if missing, with a generated SECRET_KEY, ADMIN_PASSWORD
#    and POSTGRES_PASSWORD (and fills in any of the three still at a placeholder value).
# 2. If a Docker engine answers (`docker info`): `docker compose up -d --build` (PostgreSQL,
#    Redis, migrate, app, worker, beat). Otherwise: `make run` (SQLite, embedded broker).
# 3. Prints where to sign in and with which user (the password stays in .env).
set -euo pipefail

cd "$(dirname "$0")/.."
ENV_FILE=.env

random_secret() {
    python3 -c 'import secrets, sys; print(secrets.token_urlsafe(int(sys.argv[1])))' "$1"
}

current_value() {  # the value of $1 in .env, empty when missing or commented out
    sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1
}

ensure_secret() {  # ensure_secret NAME BYTES: generate NAME unless .env has a real value
    local name=$1 bytes=$2 value
    value=$(current_value "$name")
    if [[ -z "$value" || "$value" == change-me* ]]; then
        value=$(random_secret "$bytes")
        if grep -q "^#\?$name=" "$ENV_FILE"; then
            sed -i "s|^#\?$name=.*|$name=$value|" "$ENV_FILE"
        else
            printf '%s=%s\n' "$name" "$value" >>"$ENV_FILE"
        fi
        echo "quickstart: generated $name in $ENV_FILE"
    fi
}

if [[ ! -f "$ENV_FILE" ]]; then
    cp .env.example "$ENV_FILE"
    echo "quickstart: created $ENV_FILE from .env.example"
fi
chmod 600 "$ENV_FILE"
ensure_secret SECRET_KEY 48
ensure_secret ADMIN_PASSWORD 18
ensure_secret POSTGRES_PASSWORD 24

admin_user=$(current_value ADMIN_USERNAME)
admin_user=${admin_user:-admin}
port=$(current_value STOCK_SAAS_PORT)
port=${port:-3000}

sign_in_help() {
    cat <<MSG

Stock-SaaS is starting on http://localhost:$port
  Sign in as '$admin_user' with the ADMIN_PASSWORD in $ENV_FILE:
      grep ^ADMIN_PASSWORD= $ENV_FILE
  API docs: http://localhost:$port/api/docs   Health: http://localhost:$port/api/health
MSG
}

if [[ "${QUICKSTART_DRY_RUN:-}" == 1 ]]; then
    echo "quickstart: dry run, not starting anything"
    sign_in_help
    exit 0
fi

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    if docker compose version >/dev/null 2>&1; then
        compose=(docker compose)
    else
        compose=(docker-compose)
    fi
    echo "quickstart: Docker engine found: ${compose[*]} up -d --build"
    "${compose[@]}" up -d --build
    sign_in_help
    echo "  Logs: ${compose[*]} logs -f app worker beat    Stop: ${compose[*]} down"
else
    echo "quickstart: no Docker engine answers; running locally with make run (SQLite)"
    sign_in_help
    echo "  (make run serves on port 3000; Ctrl-C stops everything)"
    exec make run
fi

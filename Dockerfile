# Stock-SaaS: one image for the web app (dashboard + /api), the Celery worker and beat.
#
#   docker build --build-arg API_URL=http://localhost:3000 -t stock-saas .
#   docker run ... stock-saas                 # prestart (migrate + first admin), then web
#   docker run ... stock-saas web --skip-prestart
#   docker run ... stock-saas worker | beat | prestart
#
# Stage 1 compiles the Reflex frontend with bun/Node from the npm registry (as `make tools`
# does) and exports it once; the final image has no Node, no bun, no build tools, and serves
# the exported files from the Python backend on one port (like `reflex run --env prod
# --single-port`, without rebuilding at start). WEB_CONCURRENCY sets the backend workers.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm unzip \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN npm install --silent --no-audit --no-fund --prefix /tools bun@1.4.5 node@22
COPY requirements.txt /tmp/requirements.txt
RUN python -m venv /venv \
    && /venv/bin/pip install --no-cache-dir --disable-pip-version-check -r /tmp/requirements.txt
WORKDIR /app
COPY . .
# The backend URL the browser connects to is baked into the frontend: a `localhost` host
# is replaced by the page's host, and behind HTTPS the port is dropped.
ARG API_URL=http://localhost:3000
ENV PATH=/tools/node_modules/.bin:/venv/bin:$PATH \
    PYTHONPATH=/app \
    API_URL=${API_URL} \
    REFLEX_USE_SYSTEM_BUN=1 \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false
RUN python scripts/run_prod.py build \
    && rm -rf .web/node_modules .web/.react-router \
    && find /venv -name '__pycache__' -prune -exec rm -rf {} +

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false \
    STOCK_SAAS_PORT=3000 \
    WEB_CONCURRENCY=2 \
    EXPORT_DIR=/data/exports \
    CELERY_DATA_DIR=/data/celery \
    SECRET_STORE_FILE=/data/keys/secrets.json
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
       --shell /usr/sbin/nologin app
COPY --from=build /venv /venv
# DejaVu Sans: printed labels show Latin, Greek and Cyrillic names (LABEL_FONT_FILE for more).
COPY --from=build /usr/share/fonts/truetype/dejavu /usr/share/fonts/truetype/dejavu
COPY --from=build /app /app
WORKDIR /app
# Code stays root-owned (read-only to the app); only runtime state is writable (Reflex
# rewrites .web and the assets/external links when a worker loads the app).
RUN mkdir -p /data/exports /data/celery /data/keys .states assets \
    && chown -R app:app /data .states .web assets \
    && chmod 700 /data/keys
USER app
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "scripts/run_prod.py", "check"]
ENTRYPOINT ["python", "scripts/run_prod.py"]
CMD ["web"]

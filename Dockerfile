# VPC Lab in a container: `docker compose up` (compose.yaml: PostgreSQL + the app) for a class;
# alone, it keeps its SQLite database on the /data volume (one process: SQLite is for one).
# (Not built in this project's CI: no Docker engine there. Keep it minimal.)
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY labs ./labs
RUN pip install --no-cache-dir . \
    && useradd --system --home-dir /data vpclab \
    && mkdir -p /data && chown vpclab /data
USER vpclab
ENV VPCLAB_DATABASE_URL=sqlite:////data/vpclab.db \
    VPCLAB_SECRET_KEY_FILE=/data/vpclab-secret.key \
    VPCLAB_WORKERS=1 \
    FORWARDED_ALLOW_IPS=127.0.0.1
VOLUME ["/data"]
EXPOSE 8000
# Every worker migrates at start under a lock (the first one does the work), then serves.
# --proxy-headers: behind a reverse proxy, the client's address comes from X-Forwarded-For
# (the per-client limits need it), trusted only from FORWARDED_ALLOW_IPS (uvicorn reads it).
CMD ["sh", "-c", "exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --workers \"$VPCLAB_WORKERS\" --proxy-headers"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4)"]

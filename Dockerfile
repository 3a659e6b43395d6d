# The same steps as `make run`, with the SQLite database on a volume.
# (Not built in this project's CI: no Docker engine there. Keep it minimal.)
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
RUN pip install --no-cache-dir .
ENV VPCLAB_DATABASE_URL=sqlite:////data/vpclab.db
ENV VPCLAB_SECRET_KEY_FILE=/data/vpclab-secret.key
VOLUME ["/data"]
EXPOSE 8000
CMD ["sh", "-c", "alembic upgrade head && VPCLAB_AUTO_MIGRATE=false uvicorn app.main:app --host 0.0.0.0 --port 8000"]

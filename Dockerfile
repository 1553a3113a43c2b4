# The coauthor-explorer app: gunicorn serving the explorer, as a non-root user.
# Build: docker build -t coauthor-explorer .   (docker-compose.yml builds it too)

# Build the wheel (with the Cypher queries and static files inside) from the sources.
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY explorer explorer
COPY loaders loaders
COPY cypher cypher
COPY static static
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist .

# Run it: the wheel and its dependencies only. Inside the container the app listens on
# port 8000 (publish it as any port you like); /data holds an embedded database if used.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    COAUTHOR_EXPLORER_BIND=0.0.0.0:8000 \
    COAUTHOR_EXPLORER_DB=/data/graph.lbdb
COPY --from=build /dist /dist
RUN pip install --no-cache-dir /dist/*.whl \
    && rm -rf /dist \
    && groupadd --system --gid 10001 explorer \
    && useradd --system --uid 10001 --gid explorer --create-home --home-dir /home/explorer explorer \
    && mkdir /data /import \
    && chown explorer:explorer /data
USER 10001:10001
WORKDIR /home/explorer
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
STOPSIGNAL SIGTERM
CMD ["coauthor-explorer", "gunicorn"]

# The service image used by docker-compose.yml (external Postgres and Neo4j).
FROM python:3.11-slim
WORKDIR /srv
COPY pyproject.toml README.md alembic.ini ./
COPY core ./core
COPY app ./app
COPY graph ./graph
COPY scoring ./scoring
COPY plans ./plans
COPY connectors ./connectors
COPY migrations ./migrations
RUN pip install --no-cache-dir .
RUN useradd --system --home /srv service && mkdir -p /data && chown service /data
USER service
ENV DATA_DIR=/data HOST=0.0.0.0 PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
CMD ["stakeholder-intel", "serve"]

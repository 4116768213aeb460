# apigen-stream: one image for the embedded job and every stage service.
#   podman build -t apigen-stream .        (or docker build)
#   podman run --rm apigen-stream apis list
# BASE is any image with Python >= 3.11 and its venv module; the same image is used by both stages
# so that the virtualenv built in the first one runs unchanged in the second.
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
# A CA bundle for pip behind a TLS-intercepting proxy (mounted at build time, not kept).
ARG PIP_CERT
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore
WORKDIR /src
# Dependencies first, in a layer of their own: a change to the code or the README reuses it.
COPY pyproject.toml ./
RUN python3 -m venv /opt/apigen-stream \
 && python3 -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' > requirements.txt \
 && /opt/apigen-stream/bin/pip install --quiet -r requirements.txt
COPY README.md MANIFEST.in ./
COPY apigen_stream ./apigen_stream
RUN /opt/apigen-stream/bin/pip install --quiet --no-deps /src \
 && find /opt/apigen-stream -name '__pycache__' -prune -exec rm -rf {} +

FROM ${BASE}
LABEL org.opencontainers.image.title="apigen-stream" \
      org.opencontainers.image.description="Verified function-calling training data (APIGen) on Kafka" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /opt/apigen-stream /opt/apigen-stream
# A fixed numeric uid, so that Kubernetes' runAsNonRoot can check it without a passwd lookup.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/apigen apigen
USER 10001:10001
WORKDIR /home/apigen
ENV PATH=/opt/apigen-stream/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
ENTRYPOINT ["apigen-stream"]
CMD ["--help"]

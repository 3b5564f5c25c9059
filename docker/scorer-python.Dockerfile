# syntax=docker/dockerfile:1
# The external Python scorer garnier-sheet (scorers/external/python): Debian 12's Confluent Python client with Avro
# and EMBOSS garnier, as its README says. Build from the repository root:
#   docker build -f docker/scorer-python.Dockerfile -t ddpp-scorer-python .
#   docker run --rm ddpp-scorer-python --bootstrap-servers kafka-1:9092 --schema-registry http://registry:8081
FROM debian:bookworm-slim
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3 python3-confluent-kafka python3-avro python3-requests emboss \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10002 --create-home --home-dir /home/scorer --shell /usr/sbin/nologin scorer
COPY scorers/external/python/ /opt/garnier-sheet/
USER scorer
WORKDIR /home/scorer
ENTRYPOINT ["/usr/bin/python3", "/opt/garnier-sheet/scorer.py"]
CMD ["--help"]

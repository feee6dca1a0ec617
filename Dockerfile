# Portico's container image: docker build -t portico:0.1.0 .
# Stage 1 builds the shaded jar with the Maven wrapper; stage 2 is a JRE, that jar and bin/portico
# (the start-up script: JVM flags for an edge), run as a non-root user.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -pl launcher -am -DskipTests -DskipITs package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 portico \
 && useradd --system --uid 10001 --gid portico --home-dir /data --shell /usr/sbin/nologin portico \
 && mkdir -p /data /opt/portico \
 && chown portico:portico /data
COPY --from=build /src/launcher/target/portico.jar /opt/portico/portico.jar
COPY --from=build /src/bin/portico /opt/portico/bin/portico
# /data: the embedded Redis's append-only file when no PORTICO_REDIS_URL is set (single node)
ENV PORTICO_DATA_DIR=/data
VOLUME /data
WORKDIR /data
# edge HTTP, edge HTTPS, admin API, ops (health), Hazelcast, event bus (when PORTICO_EVENTBUS_PORT=5702)
EXPOSE 8080 8443 9090 9091 5701 5702
USER 10001:10001
# bounded memory by default (README "Memory"); PORTICO_JAVA_OPTS adds or overrides JVM flags
ENTRYPOINT ["/opt/portico/bin/portico"]

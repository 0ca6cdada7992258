# One image recipe for the three services, chosen by the build argument SERVICE:
#   docker build --build-arg SERVICE=comment-service -t reply-ensemble/comment-service .
# docker-compose.yml builds all three from it. It needs no BuildKit feature, so every builder
# builds it (BuildKit, the classic builder that compose v1 uses, Podman).

ARG SERVICE=post-service

# --- build: the three services with the project's own Maven wrapper ----------------------------
# The stage does not depend on SERVICE, so the three builds share it: the dependencies are
# downloaded and the reactor compiled once per change of the sources, not three times.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace
# The whole reactor is needed (Maven reads every module's pom even with -pl); .dockerignore keeps
# build output, .git and IDE files out of the context.
COPY . .
RUN sh ./mvnw -B -q -pl post-service,comment-service,notification-service -am -DskipTests package \
 && mkdir /workspace/apps \
 && for service in post-service comment-service notification-service; do \
      cp "${service}/target/${service}-"*-exec.jar "/workspace/apps/${service}.jar"; \
    done \
 && rm -rf /root/.m2

# --- run: a JRE, curl for the healthchecks, a non-root user, the runnable jar -----------------
FROM eclipse-temurin:17-jre
# Adoptium no longer ships curl in every image (adoptium/containers issues 675 and 814): the
# compose healthchecks call it, so it is installed here rather than assumed.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system app \
 && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
ARG SERVICE
LABEL org.opencontainers.image.title="${SERVICE}" \
      org.opencontainers.image.source="reply-ensemble"
WORKDIR /app
COPY --from=build /workspace/apps/${SERVICE}.jar /app/app.jar
USER app
# Heap sized from the container's memory limit; add options with JAVA_TOOL_OPTIONS.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]

# syntax=docker/dockerfile:1
# One image recipe for the three services, chosen by the build argument SERVICE:
#   docker build --build-arg SERVICE=comment-service -t reply-ensemble/comment-service .
# docker-compose.yml builds all three from it.

ARG SERVICE=post-service

# --- build: the service and the modules it needs, with the project's own Maven wrapper --------
FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /workspace
# The whole reactor is needed (Maven reads every module's pom even with -pl); .dockerignore keeps
# build output, .git and IDE files out of the context.
COPY . .
# The cache mount keeps Maven itself and the downloaded dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 \
    sh ./mvnw -B -q -pl "${SERVICE}" -am -DskipTests package \
 && cp "${SERVICE}/target/${SERVICE}-"*-exec.jar /workspace/app.jar

# --- run: a JRE, a non-root user, the runnable jar --------------------------------------------
FROM eclipse-temurin:17-jre
ARG SERVICE
LABEL org.opencontainers.image.title="${SERVICE}" \
      org.opencontainers.image.source="reply-ensemble"
RUN groupadd --system app \
 && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /workspace/app.jar /app/app.jar
USER app
# Heap sized from the container's memory limit; add options with JAVA_TOOL_OPTIONS.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# The eclipse-temurin images ship curl (and wget), used by the compose healthchecks.
ENTRYPOINT ["java", "-jar", "/app/app.jar"]

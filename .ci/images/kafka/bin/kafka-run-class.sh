#!/usr/bin/env bash
# Runs a Kafka tool class on the broker's classpath, logging warnings to stderr.
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xmx256M} -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile=/etc/kafka/docker/tools-log4j2.properties \
  ${KAFKA_OPTS:-} -cp "/opt/kafka/libs/*" "$@"

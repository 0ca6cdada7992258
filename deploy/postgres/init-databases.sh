#!/bin/sh
# Runs once, when the postgres container starts with an empty data volume (mounted in
# /docker-entrypoint-initdb.d). One database and one user per service: no service can read another's
# tables. Each user's password comes from the environment the operator sets (docker-compose.yml
# requires them; see deploy/compose.env.example): nothing here is a password that works anywhere.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set post_password="$POST_SERVICE_DB_PASSWORD" \
  --set comment_password="$COMMENT_SERVICE_DB_PASSWORD" \
  --set notification_password="$NOTIFICATION_SERVICE_DB_PASSWORD" <<'SQL'
CREATE USER post_service WITH PASSWORD :'post_password';
CREATE DATABASE posts OWNER post_service;
REVOKE ALL ON DATABASE posts FROM PUBLIC;

CREATE USER comment_service WITH PASSWORD :'comment_password';
CREATE DATABASE comments OWNER comment_service;
REVOKE ALL ON DATABASE comments FROM PUBLIC;

CREATE USER notification_service WITH PASSWORD :'notification_password';
CREATE DATABASE notifications OWNER notification_service;
REVOKE ALL ON DATABASE notifications FROM PUBLIC;
SQL

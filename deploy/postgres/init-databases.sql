-- Runs once, when the postgres container starts with an empty data volume
-- (mounted in /docker-entrypoint-initdb.d). One database and one user per service: no service
-- can read another's tables. The passwords are for the compose stack only: in production,
-- give them through your secret store and the SPRING_DATASOURCE_PASSWORD of each service.

CREATE USER post_service WITH PASSWORD 'post_service';
CREATE DATABASE posts OWNER post_service;
REVOKE ALL ON DATABASE posts FROM PUBLIC;

CREATE USER comment_service WITH PASSWORD 'comment_service';
CREATE DATABASE comments OWNER comment_service;
REVOKE ALL ON DATABASE comments FROM PUBLIC;

CREATE USER notification_service WITH PASSWORD 'notification_service';
CREATE DATABASE notifications OWNER notification_service;
REVOKE ALL ON DATABASE notifications FROM PUBLIC;

#!/usr/bin/env bash
# The official image's entrypoint contract, re-written for the stand-in (see the Dockerfile).
set -Eeo pipefail

if [[ "${1:0:1}" == "-" ]]; then
  set -- postgres "$@"
fi

if [[ "$1" == "postgres" && "$(id -u)" == "0" ]]; then
  mkdir -p "$PGDATA"
  chown -R postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [[ "$1" == "postgres" && ! -s "$PGDATA/PG_VERSION" ]]; then
  if [[ -z "${POSTGRES_PASSWORD:-}" && "${POSTGRES_HOST_AUTH_METHOD:-}" != "trust" ]]; then
    echo "Error: Database is uninitialized and superuser password is not specified." >&2
    echo "       Set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust)." >&2
    exit 1
  fi
  user="${POSTGRES_USER:-postgres}"
  database="${POSTGRES_DB:-$user}"
  auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"

  initdb --username="$user" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
    --encoding=UTF8 --locale=C ${POSTGRES_INITDB_ARGS:-} -D "$PGDATA"
  {
    echo "listen_addresses = '*'"
    echo "unix_socket_directories = '/var/run/postgresql'"
  } >> "$PGDATA/postgresql.conf"
  printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

  # The init server listens on the socket only, so nobody connects over TCP before the scripts ran.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  export PGPASSWORD="${POSTGRES_PASSWORD:-}"
  psql_run=(psql -v ON_ERROR_STOP=1 --username "$user" --no-password --no-psqlrc)
  if [[ "$database" != "postgres" ]]; then
    "${psql_run[@]}" --dbname postgres --set db="$database" <<<'CREATE DATABASE :"db";'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        if [[ -x "$f" ]]; then echo "running $f"; "$f"; else echo "sourcing $f"; . "$f"; fi ;;
      *.sql) echo "running $f"; "${psql_run[@]}" --dbname "$database" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql_run[@]}" --dbname "$database" ;;
      *.sql.xz) echo "running $f"; xzcat "$f" | "${psql_run[@]}" --dbname "$database" ;;
      *) [[ -e "$f" ]] && echo "ignoring $f" ;;
    esac
  done
  unset PGPASSWORD
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "PostgreSQL init process complete; ready for start up."
fi

exec "$@"

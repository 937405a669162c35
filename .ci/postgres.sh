# Sourced by .ci/run: install (if absent) and start a throwaway PostgreSQL server.
PGPORT_CI="${PGPORT_CI:-54329}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA_CI=$(mktemp -d /tmp/nianbao-pg.XXXXXX)
# initdb refuses to run as root; run the server as the postgres system user then.
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$PGDATA_CI"
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi
"${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDATA_CI" -U postgres --auth=trust >/dev/null
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_CI" -l "$PGDATA_CI/server.log" -w \
  -o "-p $PGPORT_CI -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
psql -h 127.0.0.1 -p "$PGPORT_CI" -U postgres -q -c "CREATE ROLE nianbao LOGIN PASSWORD 'nianbao' SUPERUSER"
psql -h 127.0.0.1 -p "$PGPORT_CI" -U postgres -q -c "CREATE DATABASE nianbao_test OWNER nianbao"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT_CI"

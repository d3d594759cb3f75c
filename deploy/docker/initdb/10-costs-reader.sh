#!/bin/sh
# Run by the postgres image once, when its volume is new (/docker-entrypoint-initdb.d): the role
# costs-server reads as, able to log in with COSTS_READER_PASSWORD. The migrations grant it what
# it may read; they find it here and leave it as it is. Run again, it sets the password anew.
set -eu
: "${COSTS_READER_PASSWORD:?set COSTS_READER_PASSWORD: the password costs-server logs in with}"
# The password goes by the environment (\getenv), never on a command line others can list.
psql --no-psqlrc -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" \
  --dbname "${POSTGRES_DB:-postgres}" <<'SQL'
\getenv pw COSTS_READER_PASSWORD
select format('create role costs_reader login noinherit password %L', :'pw')
 where not exists (select from pg_roles where rolname = 'costs_reader')
union all
select format('alter role costs_reader login password %L', :'pw')
 where exists (select from pg_roles where rolname = 'costs_reader')
\gexec
SQL

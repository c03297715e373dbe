-- Tickstream's database roles on a PostgreSQL you bring yourself (README, "Database roles").
-- Run once as a superuser (or a role with CREATEROLE and CREATEDB), replacing the three passwords:
--
--   psql "postgres://postgres@your-server/postgres" -v ON_ERROR_STOP=1 \
--     -v owner_password="$(openssl rand -hex 24)" \
--     -v app_password="$(openssl rand -hex 24)" \
--     -v bi_password="$(openssl rand -hex 24)" \
--     -f docs/sql/create-roles.sql
--
-- Then configure Tickstream with
--   DATABASE_OWNER_URL=postgres://tickstream_owner:<owner_password>@your-server/tickstream  (migrations)
--   DATABASE_URL=postgres://tickstream_app:<app_password>@your-server/tickstream            (web, workers)
--   BI_READONLY_PASSWORD=<bi_password>                                                       (Superset, Grafana)
--   DATABASE_PRIVILEGE_CHECK=enforce
-- and run `npm run db:migrate`: the migrations run as tickstream_owner, which then grants tickstream_app
-- DML on every table (lib/db/migrate.ts applyDatabaseGrants), also on the tables of later migrations.

-- Owns the database and every object in it; runs the migrations. Not a superuser.
create role tickstream_owner login nosuperuser nocreatedb nocreaterole noreplication nobypassrls
  password :'owner_password';

-- The web server and the workers: DML on the product's tables, no DDL (granted by the migrations).
create role tickstream_app login nosuperuser nocreatedb nocreaterole noreplication nobypassrls inherit
  password :'app_password';

-- Superset and Grafana: SELECT on schema bi only, read-only transactions, a connection limit. The
-- migrations create it too when missing; creating it here lets tickstream_owner manage it.
create role tickstream_bi login nosuperuser nocreatedb nocreaterole noreplication nobypassrls noinherit
  connection limit 10 password :'bi_password';
alter role tickstream_bi set default_transaction_read_only = on;
alter role tickstream_bi set statement_timeout = '60s';

-- The owner may set the BI role's password and limits and grant it to the runtime role (the BI
-- watchdog in the ingest worker cancels BI statements past BI_STATEMENT_LIMIT_SECONDS).
grant tickstream_bi to tickstream_owner with admin option;

create database tickstream owner tickstream_owner;
revoke all on database tickstream from public;
grant connect on database tickstream to tickstream_app, tickstream_bi;

\connect tickstream
-- PostgreSQL before 15 lets every role create objects in schema public.
revoke create on schema public from public;
alter schema public owner to tickstream_owner;
-- Only a superuser can take pg_notify from PUBLIC (so that the BI role cannot forge the product's
-- notifications); the symbols trigger calls it as the role that writes the row.
revoke execute on function pg_catalog.pg_notify(text, text) from public;
grant execute on function pg_catalog.pg_notify(text, text) to tickstream_owner, tickstream_app;

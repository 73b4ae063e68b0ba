#!/bin/sh
# Runs once, when compose's Postgres volume is first created: Keycloak gets its own role and
# database, apart from the fleet's `fleet` database (where each service has its own schema).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE keycloak LOGIN PASSWORD '${KEYCLOAK_DB_PASSWORD:-keycloak}';
CREATE DATABASE keycloak OWNER keycloak;
SQL

-- Runs once, on the first start of an empty PostgreSQL data directory (docker-entrypoint-initdb.d):
-- one database per service; each service's Flyway migrations create its tables at start.
CREATE DATABASE queue;
CREATE DATABASE concert;
CREATE DATABASE payment;

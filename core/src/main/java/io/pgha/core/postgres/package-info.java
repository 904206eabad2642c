/**
 * The local Postgres behind narrow ports: binaries discovery, process control ({@code PostgresProcess}), typed
 * queries ({@code PostgresQueries}), rendering of the pgha-managed configuration and {@code pg_hba.conf}, cloning,
 * following and rewinding replicas. Every external command goes through {@code CommandRunner}, so unit tests run
 * against a fake; secrets travel in a 0600 passfile or the child's environment, never on a command line.
 */
package io.pgha.core.postgres;

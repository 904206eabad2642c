/**
 * The routing rules as pure functions: given the immutable table, the RW gate (open, holding, failed closed) and the
 * current load per backend, where a new connection goes ({@link io.pgha.proxy.route.Route}). Nothing here does I/O
 * or reads a clock, so the rules are tested as plain tables of cases.
 */
package io.pgha.proxy.route;

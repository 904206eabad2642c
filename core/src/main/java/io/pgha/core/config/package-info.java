/**
 * The node's declarative configuration: one YAML file read into immutable records
 * ({@link io.pgha.core.config.PghaConfig} and one record per section), with every default filled in and every rule
 * checked before anything starts.
 *
 * <p>{@link io.pgha.core.config.ConfigLoader} is the entry point. It reads the file into a small YAML tree that keeps
 * line and column of every node ({@code YamlTree}), binds each section through a {@code Section} reader that knows the
 * valid keys and collects problems instead of throwing, then checks the rules that span fields
 * ({@code ConfigRules}). A bad file yields every {@link io.pgha.core.config.ConfigError} at once in one format,
 * {@code FILE:LINE:COLUMN: FIELD.PATH: MESSAGE}. Secrets are only read from files or environment variables and are
 * held in {@link io.pgha.core.config.Secret}, which never prints its value. Host facts (environment variables, host
 * name, address, files) come through {@link io.pgha.core.config.Environment} so tests can replace them.
 */
package io.pgha.core.config;

package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha witness}: Run a store-only voter for a two-node cluster (no Postgres). */
@Command(name = "witness", mixinStandardHelpOptions = true,
        description = "Run a store-only voter for a two-node cluster (no Postgres).")
final class WitnessCommand extends PendingCommand {
}

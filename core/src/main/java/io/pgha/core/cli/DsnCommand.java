package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha dsn}: Print libpq connection strings for the cluster. */
@Command(name = "dsn", mixinStandardHelpOptions = true,
        description = "Print libpq connection strings for the cluster.")
final class DsnCommand extends PendingCommand {
}

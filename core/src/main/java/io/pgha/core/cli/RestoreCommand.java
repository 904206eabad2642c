package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha restore}: Restore the cluster from a pgBackRest backup. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore the cluster from a pgBackRest backup.")
final class RestoreCommand extends PendingCommand {
}

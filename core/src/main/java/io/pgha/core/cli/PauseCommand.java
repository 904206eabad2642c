package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha pause}: Maintenance mode: nothing is promoted or demoted automatically. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Maintenance mode: nothing is promoted or demoted automatically.")
final class PauseCommand extends PendingCommand {
}

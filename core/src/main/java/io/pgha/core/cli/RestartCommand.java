package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha restart}: Restart Postgres on a member. */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Restart Postgres on a member.")
final class RestartCommand extends PendingCommand {
}

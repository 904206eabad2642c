package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha stop}: Stop the agent on this node (and Postgres with --postgres). */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the agent on this node (and Postgres with --postgres).")
final class StopCommand extends PendingCommand {
}

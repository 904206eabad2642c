package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha history}: Show the timeline switches of the cluster. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show the timeline switches of the cluster.")
final class HistoryCommand extends PendingCommand {
}

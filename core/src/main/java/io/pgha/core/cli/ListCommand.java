package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha list}: List members: role, state, timeline, lag (like patronictl list). */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List members: role, state, timeline, lag (like patronictl list).")
final class ListCommand extends PendingCommand {
}

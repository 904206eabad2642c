package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha resume}: Leave maintenance mode. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Leave maintenance mode.")
final class ResumeCommand extends PendingCommand {
}

package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha edit-config}: Change the dynamic configuration cluster-wide (compare-and-set). */
@Command(name = "edit-config", mixinStandardHelpOptions = true,
        description = "Change the dynamic configuration cluster-wide (compare-and-set).")
final class EditConfigCommand extends PendingCommand {
}

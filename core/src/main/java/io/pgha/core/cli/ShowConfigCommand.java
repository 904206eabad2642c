package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha show-config}: Print the dynamic, cluster-wide configuration stored in the cluster. */
@Command(name = "show-config", mixinStandardHelpOptions = true,
        description = "Print the dynamic, cluster-wide configuration stored in the cluster.")
final class ShowConfigCommand extends PendingCommand {
}

package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha failover}: Promote a chosen replica in a cluster without a healthy primary. */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Promote a chosen replica in a cluster without a healthy primary.")
final class FailoverCommand extends PendingCommand {
}

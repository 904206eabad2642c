package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha switchover}: Planned handover of the primary role to a healthy replica. */
@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = "Planned handover of the primary role to a healthy replica.")
final class SwitchoverCommand extends PendingCommand {
}

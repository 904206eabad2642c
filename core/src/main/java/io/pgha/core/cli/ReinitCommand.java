package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha reinit}: Re-clone a member from the primary. */
@Command(name = "reinit", mixinStandardHelpOptions = true,
        description = "Re-clone a member from the primary.")
final class ReinitCommand extends PendingCommand {
}

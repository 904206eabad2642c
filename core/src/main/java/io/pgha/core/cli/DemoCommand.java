package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha demo}: Start a three-node cluster on this machine (127.0.0.11-13) for trying pgha out. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a three-node cluster on this machine (127.0.0.11-13) for trying pgha out.")
final class DemoCommand extends PendingCommand {
}

package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha apply}: Converge this host: hardening, firewall, postgres config (--check, --diff). */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Converge this host: hardening, firewall, postgres config (--check, --diff).")
final class ApplyCommand extends PendingCommand {
}

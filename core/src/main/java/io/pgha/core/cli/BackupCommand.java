package io.pgha.core.cli;

import picocli.CommandLine.Command;

/** {@code pgha backup}: Take a pgBackRest backup, or list backups. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Take a pgBackRest backup, or list backups.")
final class BackupCommand extends PendingCommand {
}

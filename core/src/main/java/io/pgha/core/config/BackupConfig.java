package io.pgha.core.config;

import java.nio.file.Path;

/**
 * The {@code backup} section: pgBackRest.
 *
 * @param enabled take scheduled backups, default false
 * @param stanza the pgBackRest stanza, default cluster.name
 * @param repoPath the repository path, default /var/lib/pgbackrest
 * @param retentionFull full backups to keep, default 2
 * @param schedule when backups run
 */
public record BackupConfig(boolean enabled, String stanza, Path repoPath, int retentionFull, Schedule schedule) {

    /**
     * Backup times, as five-field cron expressions in the node's local time.
     *
     * @param full default {@code 0 1 * * 0} (Sunday 01:00)
     * @param diff default {@code 0 1 * * 1-6} (Monday to Saturday 01:00)
     */
    public record Schedule(CronSchedule full, CronSchedule diff) {
    }
}

package io.pgha.core.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds the sections of the services around Postgres: {@code backup}, {@code hardening} and {@code tls}. */
final class ServicesBinder {
    private static final Pattern STANZA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    private ServicesBinder() {
    }

    static BackupConfig backup(Section s, ClusterConfig cluster) {
        boolean enabled = s.bool("enabled", false);
        String stanza = s.matching("stanza", cluster.name(), STANZA, "a stanza name (letters, digits, '_', '-')");
        Path repoPath = s.path("repo_path").orElse(Path.of("/var/lib/pgbackrest"));
        int retentionFull = s.integer("retention_full", 2, 1, 9_999_999);
        Section sched = s.section("schedule");
        BackupConfig.Schedule schedule = new BackupConfig.Schedule(cron(sched, "full", "0 1 * * 0"),
                cron(sched, "diff", "0 1 * * 1-6"));
        sched.finish();
        s.finish();
        return new BackupConfig(enabled, stanza, repoPath, retentionFull, schedule);
    }

    private static CronSchedule cron(Section s, String key, String fallback) {
        Optional<String> text = s.optionalString(key);
        if (text.isEmpty()) {
            return new CronSchedule(fallback);
        }
        Optional<String> problem = CronSchedule.problem(text.get());
        if (problem.isPresent()) {
            s.diagnostics().mismatch(s.diagnostics().locationOf(s.pathOf(key)), s.pathOf(key),
                    "'" + text.get() + "'", problem.get());
            return new CronSchedule(fallback);
        }
        return CronSchedule.parse(text.get()).orElseThrow();
    }

    static HardeningConfig hardening(Section s) {
        HardeningConfig c = new HardeningConfig(s.bool("enabled", false), s.bool("ufw", true), s.bool("cis", true),
                s.list("allowed_client_cidrs", "a CIDR such as 10.0.0.0/8 or fd00::/8", Cidr::parse));
        s.finish();
        return c;
    }

    static TlsConfig tls(Section s) {
        boolean enabled = s.bool("enabled", false);
        TlsConfig c = new TlsConfig(enabled, tlsFile(s, "cert_file", enabled), tlsFile(s, "key_file", enabled),
                tlsFile(s, "ca_file", enabled));
        s.finish();
        return c;
    }

    /** A PEM file; when TLS is enabled it must be given and readable. */
    private static Optional<Path> tlsFile(Section s, String key, boolean enabled) {
        Optional<Path> file = s.path(key);
        if (!enabled) {
            return file;
        }
        if (!s.has(key)) {
            s.diagnostics().mismatch(s.locationOf(key), s.pathOf(key), "nothing",
                    "a readable PEM file when tls.enabled is true");
        } else if (file.isPresent() && !s.environment().isReadableFile(file.get())) {
            s.diagnostics().mismatch(s.diagnostics().locationOf(s.pathOf(key)), s.pathOf(key),
                    "'" + file.get() + "' (missing or unreadable)", "a readable PEM file");
        }
        return file;
    }
}

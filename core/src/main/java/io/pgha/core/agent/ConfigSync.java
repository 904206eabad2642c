package io.pgha.core.agent;

import io.pgha.core.config.ConfigException;
import io.pgha.core.config.DynamicConfig;
import io.pgha.core.config.PghaConfig;
import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.ConfigKey;
import io.pgha.core.postgres.PostgresConfigFiles;
import io.pgha.core.postgres.PostgresProcess;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node on the cluster-wide configuration, once per HA cycle on the loop thread: the primary that
 * bootstrapped writes the first document (its file's dynamic keys) if the store has none, and every node renders the
 * stored {@code postgres.parameters} into {@code pgha.dynamic.conf} and reloads a running Postgres when it changed.
 * Parameters that need a restart then show as {@code pg_settings.pending_restart}, which the member record carries.
 */
final class ConfigSync {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigSync.class);

    private final String name;
    private final PghaConfig config;
    private final Optional<ConfigKey> key;
    private final PostgresConfigFiles files;
    private final PostgresProcess process;
    private String applied = "";

    ConfigSync(AgentSettings settings, Optional<ConfigKey> key, PostgresProcess process) {
        this.name = settings.name();
        this.config = settings.config();
        this.key = key;
        this.files = new PostgresConfigFiles(settings.postgresSettings(), settings.name());
        this.process = process;
    }

    /** One step towards the stored configuration; failures are logged and retried next cycle. */
    void onCycle(ClusterView view, boolean runningPrimaryWithKey, boolean running) {
        if (view.config().isEmpty()) {
            if (runningPrimaryWithKey && key.isPresent()) {
                boolean written = key.get().compareAndSet(DynamicConfig.toJson(DynamicConfig.seed(config)), 0);
                LOG.info("{}: {}", name, written ? "wrote the cluster-wide configuration from this node's file"
                        : "the cluster-wide configuration was written by another node");
            }
            return;
        }
        String stored = view.config().get();
        if (stored.equals(applied) && running) {
            return;
        }
        Map<String, String> parameters;
        try {
            parameters = DynamicConfig.parameters(DynamicConfig.parse(stored));
        } catch (ConfigException e) {
            LOG.warn("{}: the stored configuration does not parse, keeping the current one: {}", name,
                    e.getMessage());
            applied = stored;
            return;
        }
        if (files.writeDynamic(parameters) && running) {
            process.reload();
            LOG.info("{}: applied the cluster-wide postgres.parameters and reloaded postgres", name);
        }
        if (running) {
            applied = stored;
        }
    }
}

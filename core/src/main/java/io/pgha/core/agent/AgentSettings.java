package io.pgha.core.agent;

import io.pgha.core.config.PghaConfig;
import io.pgha.core.config.Secret;
import io.pgha.core.ha.HaSettings;
import io.pgha.core.postgres.PostgresSettings;
import io.pgha.store.raft.RaftStoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Maps the validated configuration onto the settings each part takes. Passwords that the file does not give are
 * derived from the cluster token (HMAC-SHA256 of the role name), so every node of a cluster agrees on them without a
 * second secret to distribute; a node with neither is refused before anything starts.
 */
public record AgentSettings(PghaConfig config) {

    /** Where the store keeps its Raft log and snapshots. */
    public Path storeDir() {
        return config.node().dataDir().resolve("store");
    }

    /** The lock file that keeps a second agent off this data directory. */
    public Path lockFile() {
        return config.node().dataDir().resolve("pgha.lock");
    }

    public String name() {
        return config.node().name();
    }

    public String address() {
        return config.node().address();
    }

    public String peerAddress() {
        return address() + ":" + config.store().peerPort();
    }

    /** Where other nodes reach this node's REST API: the node's address when the API listens on every address. */
    public String apiUrl() {
        String listen = config.rest().listen();
        String host = Set.of("0.0.0.0", "::", "*").contains(listen) ? address() : listen;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.rest().port();
    }

    /** The store as one member: a new one-member group, or (joining, or restarting) whatever its data says. */
    public RaftStoreConfig storeConfig(boolean formNewGroup) {
        List<RaftStoreConfig.Peer> peers = formNewGroup ? List.of(new RaftStoreConfig.Peer(name(), peerAddress()))
                : List.of();
        RaftStoreConfig.Timeouts timeouts = new RaftStoreConfig.Timeouts(config.store().electionTimeoutMin(),
                config.store().electionTimeoutMax(), config.store().requestTimeout());
        return RaftStoreConfig.of(config.cluster().name(), name(), peerAddress(), storeDir(), peers)
                .withTimeouts(timeouts);
    }

    public HaSettings haSettings() {
        var ha = config.ha();
        HaSettings.SyncPolicy sync = new HaSettings.SyncPolicy(
                HaSettings.SynchronousMode.valueOf(ha.synchronousMode().name()), ha.synchronousNodeCount());
        return new HaSettings(ha.ttl(), ha.loopWait(), ha.safetyMargin(), ha.maximumLagOnFailover().bytes(), sync,
                ha.usePgRewind(), ha.recloneOnRewindFailure());
    }

    /** Patroni-style tags as the member record carries them. */
    public java.util.Map<String, String> tags() {
        var t = config.ha().tags();
        return java.util.Map.of("nofailover", String.valueOf(t.nofailover()), "noloadbalance",
                String.valueOf(t.noloadbalance()), "nosync", String.valueOf(t.nosync()), "clonefrom",
                String.valueOf(t.clonefrom()), "failover_priority", String.valueOf(t.failoverPriority()));
    }

    /**
     * How this node runs Postgres. Replication is allowed from the configured members and from {@code samenet}
     * (the server's own subnets), so members that join later need no pg_hba change.
     */
    public PostgresSettings postgresSettings() {
        var pg = config.postgres();
        List<String> addresses = new ArrayList<>();
        config.cluster().members().forEach(m -> addresses.add(m.address()));
        addresses.add(address());
        addresses.add("samenet");
        return new PostgresSettings(pg.binDir(), pg.dataDir(), pg.listen(), pg.port(), pg.socketDir(), pg.osUser(),
                pg.superuser().username(), password(pg.superuser().password(), pg.superuser().username()),
                pg.replication().username(), password(pg.replication().password(), pg.replication().username()),
                config.node().dataDir().resolve("pgpass"), addresses, pg.parameters());
    }

    /** The {@code Authorization} header the mutating REST endpoints require, when {@code rest.username} is set. */
    public Optional<String> restAuthorization() {
        var rest = config.rest();
        return rest.username().flatMap(u -> rest.password().map(pw -> "Basic " + java.util.Base64.getEncoder()
                .encodeToString((u + ":" + pw.reveal()).getBytes(StandardCharsets.UTF_8))));
    }

    /** Problems that stop the agent before it starts anything; empty when it may start. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        var pg = config.postgres();
        if (config.cluster().token().isEmpty() && (pg.superuser().password().isEmpty()
                || pg.replication().password().isEmpty())) {
            out.add("postgres.superuser.password_file and postgres.replication.password_file, or a cluster token"
                    + " (cluster.token_file or PGHA_CLUSTER_TOKEN) to derive them from, are required");
        }
        if (config.cluster().join().isPresent() && config.cluster().token().isEmpty()) {
            out.add("joining needs the cluster token: set cluster.token_file or PGHA_CLUSTER_TOKEN");
        }
        return out;
    }

    private PostgresSettings.Secret password(Optional<Secret> configured, String role) {
        return new PostgresSettings.Secret(configured.map(Secret::reveal).orElseGet(() -> derive(role)));
    }

    private String derive(String role) {
        String token = config.cluster().token().map(Secret::reveal).orElseThrow(() -> new IllegalStateException(
                "no password for role " + role + " and no cluster token to derive it from"));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("pgha role " + role).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

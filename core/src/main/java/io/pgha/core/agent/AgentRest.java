package io.pgha.core.agent;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.ha.HaSettings;
import io.pgha.core.ha.LocalView;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import io.pgha.core.rest.NodeStatusService;
import io.pgha.core.rest.RestApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The node agent's REST API on {@code rest.port}: the Patroni-compatible {@link RestApi} reading the last HA cycle
 * (never Postgres or the store on a request), plus the agent's own endpoints: {@code POST /cluster/members} for
 * joining nodes and the planned operations of {@link PlannedOpsApi}.
 */
final class AgentRest implements NodeStatusService, AutoCloseable {
    private final String name;
    private final HaSettings ha;
    private final Supplier<Optional<NodeStatus>> last;
    private final RestApi api;
    private final Optional<String> username;
    private final Optional<io.pgha.core.config.Secret> password;
    private final JoinService join;
    private volatile Supplier<java.util.List<String>> witnesses = java.util.List::of;

    AgentRest(AgentSettings settings, Supplier<Optional<NodeStatus>> last, JoinService join) throws IOException {
        this.name = settings.name();
        this.ha = settings.haSettings();
        this.last = last;
        this.join = join;
        var rest = settings.config().rest();
        this.username = rest.username();
        this.password = rest.password();
        this.api = new RestApi(new InetSocketAddress(rest.listen(), rest.port()), this,
                settings.config().cluster().name());
        api.route("POST", "/cluster/members", r -> {
            Map<String, String> form = form(r.body());
            JoinService.Result result = join.join(form.get("name"), form.get("peer"), form.getOrDefault("client", ""),
                    r.headers().get(JoinClient.TOKEN_HEADER.toLowerCase(java.util.Locale.ROOT)));
            return RestApi.Reply.text(result.status(), result.message());
        });
    }

    /**
     * Adds a mutating endpoint; when {@code rest.username} and a password are configured it requires them as HTTP
     * basic auth (Patroni's {@code restapi.authentication}) and answers 401 otherwise.
     */
    void mutating(String method, String path, RestApi.Route route) {
        api.route(method, path, r -> authorized(r) ? route.handle(r) : RestApi.Reply.text(401,
                "authentication required: HTTP basic auth with rest.username and its password"));
    }

    /**
     * Serves this node as a witness ({@code pgha witness}): {@code /health} answers 200 while the store member runs
     * and knows a Raft leader, and the node document says role {@code witness}. Call before {@link #start()}.
     */
    void serveWitness(String witnessName, java.util.function.BooleanSupplier storeUp) {
        for (String path : java.util.List.of("/", "/health", "/liveness", "/readiness")) {
            api.route("GET", path, r -> RestApi.Reply.json(storeUp.getAsBoolean() || path.equals("/") ? 200 : 503,
                    "{\"name\":\"" + witnessName + "\",\"role\":\"witness\",\"state\":\""
                            + (storeUp.getAsBoolean() ? "running" : "no store leader") + "\"}"));
        }
    }

    /** Where {@code /cluster} learns the live witnesses (the store's {@code witnesses/} keys). */
    void showWitnesses(Supplier<java.util.List<String>> reader) {
        this.witnesses = reader;
    }

    @Override
    public Map<String, java.util.List<String>> clusterNotes() {
        java.util.List<String> store = join.members();
        java.util.List<String> live;
        try {
            live = witnesses.get();
        } catch (RuntimeException e) {
            live = java.util.List.of();
        }
        return Map.of("store_members", store, "witnesses", QuorumAdvice.witnesses(store, live),
                "warnings", QuorumAdvice.warning(store).map(java.util.List::of).orElse(java.util.List.of()));
    }

    /** Adds an endpoint anyone may call (a read). */
    void route(String method, String path, RestApi.Route route) {
        api.route(method, path, route);
    }

    /** {@code GET/PATCH /config} against the store. */
    void serveConfig(io.pgha.core.rest.ConfigEndpoint endpoint) {
        api.serveConfig(endpoint);
    }

    private boolean authorized(RestApi.Request r) {
        if (username.isEmpty() || password.isEmpty()) {
            return true;
        }
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString((username.get() + ":"
                + password.get().reveal()).getBytes(StandardCharsets.UTF_8));
        String given = r.headers().getOrDefault("authorization", "");
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    void start() {
        api.start();
    }

    int port() {
        return api.address().getPort();
    }

    @Override
    public io.pgha.core.rest.NodeStatus status() {
        Optional<NodeStatus> s = last.get();
        if (s.isEmpty()) {
            return new io.pgha.core.rest.NodeStatus(name, Role.UNKNOWN, PostgresState.STOPPED, false, false, 0,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Map.of(), false,
                    ha.maximumLagOnFailover());
        }
        ClusterView c = s.get().cluster();
        LocalView l = s.get().local();
        boolean primary = l.role() == Role.PRIMARY;
        boolean replica = l.role() == Role.REPLICA;
        Optional<Long> lag = replica ? c.leaderLsn().map(l.lsn()::bytesBehind) : Optional.of(0L);
        return new io.pgha.core.rest.NodeStatus(name, l.role(), l.state(), c.isLeader(name),
                c.sync().isSynchronous(name), l.timeline(), primary ? Optional.of(l.lsn()) : Optional.empty(),
                replica ? Optional.of(l.lsn()) : Optional.<Lsn>empty(), Optional.empty(), lag,
                l.isRunningReplica() && l.following().isPresent(), l.tags(), loopAlive(s.get()),
                ha.maximumLagOnFailover());
    }

    /** Patroni's liveness: the loop ran within ttl (leader) or 2 x ttl (others), or the cluster is paused. */
    private boolean loopAlive(NodeStatus s) {
        Duration limit = s.cluster().isLeader(name) ? ha.ttl() : ha.ttl().multipliedBy(2);
        return s.cluster().paused() || Instant.now().isBefore(s.at().plus(limit));
    }

    @Override
    public Optional<ClusterView> cluster() {
        return last.get().map(NodeStatus::cluster);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        api.close();
    }
}

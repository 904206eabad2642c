package io.pgha.core.agent;

import io.pgha.core.config.HostPort;
import io.pgha.core.config.PghaConfig;
import io.pgha.core.config.Secret;
import io.pgha.core.dcs.ConfigKey;
import io.pgha.core.dcs.ControlKeys;
import io.pgha.core.dcs.DefaultDcs;
import io.pgha.core.postgres.PgCtlProcess;
import io.pgha.core.postgres.PostgresBinaries;
import io.pgha.core.postgres.ProcessCommandRunner;
import io.pgha.core.postgres.Replica;
import io.pgha.core.postgres.ShutdownMode;
import io.pgha.core.rest.ConfigEndpoint;
import io.pgha.core.rest.RestApi;
import io.pgha.store.api.EtcdApiServer;
import io.pgha.store.apply.MvccStoreState;
import io.pgha.store.raft.RaftStoreNode;
import io.pgha.store.raft.RatisKvStore;
import io.pgha.store.raft.RatisStoreCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node ({@code pgha run}): takes the data directory lock, starts the store (a new one-member Raft group, its
 * recovered group, or an empty one that asks a member to add it), the etcd API, the REST API, the proxy and the HA
 * loop, in that order; {@link #close()} stops them in reverse. Postgres is left running on close (STYLE P15) unless
 * {@link #stopPostgresOnClose()} was called, and a running Postgres is adopted on start, not restarted.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    /** Dropped in the data directory by {@code pgha stop --postgres} before it signals the agent. */
    public static final String STOP_POSTGRES_MARKER = "stop-postgres";

    private final AgentSettings settings;
    /** A store-only voter ({@code pgha witness}): no Postgres, no proxy, no HA loop, no member record. */
    private final boolean witness;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final QuorumAdvice advice = new QuorumAdvice();
    private StoreMembership membership;
    private PgCtlProcess process;
    private HaLoop loop;
    private AgentRest http;
    private JoinService joinService;
    private ControlKeys controlKeys;
    private ConfigKey configKey;
    private volatile RoutingPublisher proxyRouting;
    private volatile boolean stopPostgres;

    private NodeAgent(AgentSettings settings, boolean witness) {
        this.settings = settings;
        this.witness = witness;
    }

    /**
     * Starts a node from a validated configuration.
     *
     * @throws AgentStartException when the node cannot start (configuration problems, lock held, join refused);
     *     everything started so far is stopped again
     */
    public static NodeAgent start(PghaConfig config) {
        return start(config, false);
    }

    /**
     * Starts a witness ({@code pgha witness --join node1}): a store-only voter that joins the cluster through
     * {@code cluster.join} with the cluster token, so that two data nodes keep a Raft majority when either is lost
     * (ARCHITECTURE.md rule 6). It runs no Postgres, no proxy and no HA loop, and publishes no member record.
     *
     * @throws AgentStartException as {@link #start(PghaConfig)}, and when there is no cluster to join
     */
    public static NodeAgent startWitness(PghaConfig config) {
        return start(config, true);
    }

    private static NodeAgent start(PghaConfig config, boolean witness) {
        AgentSettings settings = new AgentSettings(config);
        List<String> problems = new java.util.ArrayList<>(settings.problems());
        if (witness && config.cluster().join().isEmpty() && !Files.isDirectory(settings.storeDir())) {
            problems.add("a witness joins an existing cluster: give --join HOST (a data node's address)");
        }
        if (!problems.isEmpty()) {
            throw new AgentStartException(String.join("\n", problems), true);
        }
        NodeAgent agent = new NodeAgent(settings, witness);
        try {
            agent.startAll();
            return agent;
        } catch (AgentStartException e) {
            agent.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw new AgentStartException(e.getMessage() == null ? e.toString() : e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            agent.close();
            throw new AgentStartException("interrupted while starting", false);
        }
    }

    private void startAll() throws IOException, InterruptedException {
        var config = settings.config();
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(settings.lockFile());
        } catch (IllegalStateException e) {
            throw new AgentStartException(e.getMessage(), false);
        }
        started.push(lock);
        if (!witness) {
            prepareDirectories();
        }
        Files.deleteIfExists(config.node().dataDir().resolve(STOP_POSTGRES_MARKER));
        boolean freshStore = isEmptyDir(settings.storeDir());
        Optional<HostPort> join = config.cluster().join();
        if (freshStore && join.isPresent()) {
            // Closed after the store: a refused join leaves no half-made store, so the next attempt starts clean.
            DeleteStore cleanup = () -> deleteTree(settings.storeDir());
            started.push(cleanup);
        }
        RaftStoreNode node = RaftStoreNode.start(settings.storeConfig(freshStore && join.isEmpty()),
                new MvccStoreState(config.store().watchProgressInterval()));
        RatisKvStore kv = new RatisKvStore(node);
        started.push(kv);
        RatisStoreCluster cluster = new RatisStoreCluster(kv);
        EtcdApiServer etcd = new EtcdApiServer(kv, cluster, settings.address(), config.store().clientPort());
        etcd.start();
        started.push(etcd);
        configKey = new ConfigKey(kv, config.cluster().name(), config.store().requestTimeout());
        membership = new StoreMembership(cluster);
        joinService = new JoinService(cluster, config.cluster().token());
        http = new AgentRest(settings, () -> loop == null ? Optional.empty() : loop.status(), joinService);
        if (witness) {
            http.serveWitness(settings.name(), () -> node.leaderId().isPresent());
        } else {
            DefaultDcs reader = new DefaultDcs(kv, config.cluster().name(), settings.name(), config.ha().ttl(),
                    config.store().requestTimeout());
            http.showWitnesses(reader::readWitnesses);
        }
        http.serveConfig(new ConfigEndpoint(configKey, new ParameterCatalog(settings.postgresSettings())::read,
                settings.restAuthorization()));
        http.route("GET", "/metrics", r -> new RestApi.Reply(200, NodeMetrics.CONTENT_TYPE, NodeMetrics.render(
                loop == null ? Optional.empty() : loop.status(),
                Optional.ofNullable(proxyRouting).map(RoutingPublisher::stats))));
        controlKeys = new ControlKeys(kv, config.cluster().name(), config.store().requestTimeout());
        new PlannedOpsApi(() -> loop == null ? Optional.empty() : loop.status(), controlKeys, settings.haSettings())
                .register(http);
        new NodeJobsApi(settings.name(), () -> Optional.ofNullable(loop)).register(http);
        http.start();
        started.push(http);
        if (freshStore && join.isPresent()) {
            joinCluster(join.get());
        } else if (freshStore) {
            // The founding member is not added through a join, so it announces its own etcd client URL
            // (etcdctl --cluster and Patroni's etcd3 client read it from MemberList).
            cluster.publishClientUrls(List.of("http://" + settings.address() + ":" + config.store().clientPort()))
                    .whenComplete((done, error) -> {
                        if (error != null) {
                            LOG.warn("{}: could not publish the etcd client URL: {}", settings.name(),
                                    error.getMessage());
                        }
                    });
        }
        LOG.info("{}: store member {} up (etcd API on {}:{}, REST on {}:{})", settings.name(),
                settings.peerAddress(), settings.address(), config.store().clientPort(), config.rest().listen(),
                http.port());
        if (witness) {
            LOG.info("{}: witness: a store-only voter; no postgres, no proxy, no HA loop", settings.name());
            started.push(WitnessBeacon.start(new DefaultDcs(kv, config.cluster().name(), settings.name(),
                    config.ha().ttl(), config.store().requestTimeout()), config.ha().loopWait()));
            return;
        }
        startHa(kv);
    }

    private void startHa(RatisKvStore kv) {
        var config = settings.config();
        var pg = settings.postgresSettings();
        PostgresBinaries binaries = PostgresBinaries.locate(pg.binDir());
        ProcessCommandRunner runner = new ProcessCommandRunner();
        process = new PgCtlProcess(pg, binaries, runner);
        if (process.isRunning()) {
            LOG.info("{}: adopting the running postgres in {}", settings.name(), pg.dataDir());
        }
        DefaultDcs dcs = new DefaultDcs(kv, config.cluster().name(), settings.name(), config.ha().ttl(),
                config.store().requestTimeout());
        Optional<RoutingPublisher> routing = Optional.empty();
        if (config.proxy().enabled()) {
            routing = Optional.of(RoutingPublisher.start(config.proxy(), config.ha().ttl()));
            started.push(routing.get());
            proxyRouting = routing.get();
        }
        Optional<RoutingPublisher> feed = routing;
        ConfigSync configSync = new ConfigSync(settings, Optional.of(configKey), process);
        loop = new HaLoop(settings, dcs, process, new Replica(pg, settings.name(), binaries, runner),
                status -> {
                    feed.ifPresent(r -> r.onCycle(status));
                    adviseOnQuorum();
                }, configSync);
        started.push(loop);
        loop.start();
    }

    private void joinCluster(HostPort target) throws IOException, InterruptedException {
        String token = settings.config().cluster().token().map(Secret::reveal).orElseThrow();
        String api = "http://" + target.host() + ":" + settings.config().rest().port();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                LOG.info("{}: asking {} to add this node to the cluster", settings.name(), api);
                LOG.info("{}: {}", settings.name(), JoinClient.join(target.host(), api, settings, token));
                // The joined-store cleanup no longer applies: this store now belongs to the cluster.
                started.removeIf(c -> c instanceof DeleteStore);
                return;
            } catch (JoinClient.JoinRefusedException e) {
                throw new AgentStartException(e.getMessage(), false);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot reach " + api + " to join: " + e.getMessage(), e);
                }
                LOG.info("{}: {} not reachable yet ({}); retrying", settings.name(), api, e.toString());
                Thread.sleep(1000);
            }
        }
    }

    /** Rule 6: warns (once per change) while the store has exactly two voters. */
    private void adviseOnQuorum() {
        try {
            advice.check(membership.names()).ifPresent(w -> LOG.warn("{}: {}", settings.name(), w));
        } catch (RuntimeException e) {
            LOG.debug("store membership not readable yet: {}", e.getMessage());
        }
    }

    /** Marker type for the cleanup of a store made for a join that did not happen. */
    private interface DeleteStore extends AutoCloseable {
    }

    /** Makes {@link #close()} stop Postgres too ({@code pgha stop --postgres}). */
    public void stopPostgresOnClose() {
        stopPostgres = true;
    }

    public boolean isWitness() {
        return witness;
    }

    public int restPort() {
        return http.port();
    }

    /** The store (Raft group) members' names. */
    public List<String> storeMembers() {
        return joinService.members();
    }

    public Optional<NodeStatus> status() {
        return loop == null ? Optional.empty() : loop.status();
    }

    private void prepareDirectories() throws IOException {
        var pg = settings.postgresSettings();
        Path data = settings.config().node().dataDir();
        Files.createDirectories(data);
        Files.createDirectories(pg.socketDir());
        Files.createDirectories(pg.dataDir().getParent());
        String user = pg.osUser();
        for (Path p : List.of(data, pg.socketDir(), pg.dataDir().getParent())) {
            chown(p, user);
        }
    }

    /** Gives {@code path} to the Postgres OS user when running as root, so initdb and pg_basebackup can write. */
    private static void chown(Path path, String user) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        var lookup = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, lookup.lookupPrincipalByName(user));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName(user));
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        boolean stopPg = stopPostgres || Files.exists(settings.config().node().dataDir().resolve(STOP_POSTGRES_MARKER));
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            if (c instanceof DataDirLock && stopPg && process != null) {
                LOG.info("{}: stopping postgres (fast)", settings.name());
                process.stop(ShutdownMode.FAST, Duration.ofMinutes(2));
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("{}: stopping {}: {}", settings.name(), c.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}

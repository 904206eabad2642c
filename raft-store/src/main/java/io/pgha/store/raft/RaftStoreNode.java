package io.pgha.store.raft;

import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreException;
import io.pgha.store.apply.StoreState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * One member of the replicated store: a Ratis server driving an {@link EtcdStateMachine} over a
 * {@link StoreState}, and one reusable {@link RaftClient} (one client ID, so the servers' retry cache makes
 * retried writes exactly-once).
 *
 * <p>Choices, and why:
 * <ul>
 * <li>Storage is always opened with {@code RECOVER} (the default, FORMAT, refuses an existing directory).
 * <li>The group ID derives from the cluster name ({@link StoreIds}), so restarts and new members agree on it.
 * <li>A joining member (no initial peers) starts as a listener of a group holding only itself, see the
 *     constructor; the leader's configuration replaces that as soon as it is added.
 * <li>Reads are {@code LINEARIZABLE} (ReadIndex on whichever member is asked).
 * <li>Snapshots are taken automatically and the log is purged up to the snapshot index, so the log stays bounded
 *     even while a member is down; that member then catches up by snapshot install.
 * <li>The client retries every 100 ms for about one request timeout, long enough to ride out an election (Ratis'
 *     default retries forever without sleeping, spinning while there is no leader); callers also put a deadline
 *     on every call, so a call fails UNAVAILABLE after the request timeout whatever the client still does.
 * <li>Ratis closes a server that observed a JVM pause above {@code raft.server.close.threshold} (60 s). A suspended
 *     VM would then come back as a process with a dead store; Raft itself is safe after any pause (a stale leader
 *     steps down when it sees a higher term), so the threshold is raised to a day.
 * </ul>
 */
public final class RaftStoreNode implements AutoCloseable {
    private static final long CLIENT_RETRY_SLEEP_MILLIS = 100;

    private final RaftStoreConfig config;
    private final RaftGroupId groupId;
    private final RaftPeer self;
    private final StoreState state;
    private final LeaderLeases leases;
    private final EtcdStateMachine stateMachine;
    private final RaftProperties properties;
    private final RaftServer server;
    private final ClientId clientId = ClientId.randomId();
    private final ClientId readerId = ClientId.randomId();
    private final AtomicLong readCallIds = new AtomicLong();
    private final ClientId writerId = ClientId.randomId();
    private final AtomicLong writeCallIds = new AtomicLong();
    private volatile RaftClient client;
    private volatile boolean clientHasPeers;
    private volatile List<RaftPeer> clientPeers = List.of();
    private final List<RaftClient> retiredClients = new ArrayList<>();

    private RaftStoreNode(RaftStoreConfig config, StoreState state, LongSupplier nanoClock) throws IOException {
        this.config = config;
        this.groupId = StoreIds.groupId(config.clusterName());
        this.self = peer(config.memberName(), config.address(), false);
        this.state = state;
        this.leases = new LeaderLeases(nanoClock);
        this.stateMachine = new EtcdStateMachine(state, leases);
        this.properties = properties(config);
        List<RaftPeer> peers = new ArrayList<>();
        config.initialPeers().forEach(p -> peers.add(peer(p.name(), p.address(), false)));
        if (peers.isEmpty()) {
            // A joining member starts as the only listener of its own group, so its division is RUNNING at once.
            // Started outside its configuration it would wait in STARTING for a leader's append that is not
            // "initializing", and Ratis 3.3.0's leader never sends one to a peer it staged as a listener
            // (LeaderStateImpl.checkStaging marks only voters caught up): promoted, it could never vote.
            // A listener never campaigns, so a group with no voter cannot elect anyone.
            peers.add(peer(config.memberName(), config.address(), true));
        }
        this.server = RaftServer.newBuilder()
                .setServerId(self.getId())
                .setGroup(RaftGroup.valueOf(groupId, peers))
                .setProperties(properties)
                .setStateMachine(stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
    }

    /** Builds and starts a member. A data dir that holds the group recovers it; otherwise a new one is formatted. */
    public static RaftStoreNode start(RaftStoreConfig config, StoreState state) throws IOException {
        return start(config, state, System::nanoTime);
    }

    /** As {@link #start(RaftStoreConfig, StoreState)}, with the monotonic clock (nanoseconds) of the lease clock. */
    public static RaftStoreNode start(RaftStoreConfig config, StoreState state, LongSupplier nanoClock)
            throws IOException {
        RaftStoreNode node = new RaftStoreNode(config, state, nanoClock);
        node.server.start();
        return node;
    }

    /** A Raft peer for a member name and address; a listener is a non-voting learner. */
    public static RaftPeer peer(String name, String address, boolean listener) {
        return RaftPeer.newBuilder().setId(name).setAddress(address)
                .setStartupRole(listener ? RaftPeerRole.LISTENER : RaftPeerRole.FOLLOWER).build();
    }

    public RaftStoreConfig config() {
        return config;
    }

    public RaftGroupId groupId() {
        return groupId;
    }

    public RaftPeerId peerId() {
        return self.getId();
    }

    public long clusterId() {
        return StoreIds.clusterId(groupId);
    }

    public long memberId() {
        return StoreIds.memberId(config.memberName());
    }

    public StoreState state() {
        return state;
    }

    public LeaderLeases leases() {
        return leases;
    }

    public EtcdStateMachine stateMachine() {
        return stateMachine;
    }

    /** This member's Raft division; {@link EtcdErrors#STOPPED} once the server is closed. */
    public RaftServer.Division division() {
        try {
            return server.getDivision(groupId);
        } catch (IOException e) {
            throw EtcdErrors.STOPPED;
        }
    }

    /** The leader this member knows of, if any. */
    public Optional<RaftPeerId> leaderId() {
        try {
            return Optional.ofNullable(division().getInfo().getLeaderId());
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    public boolean isLeader() {
        try {
            return division().getInfo().isLeader();
        } catch (StoreException e) {
            return false;
        }
    }

    /** The current Raft configuration: voters, then listeners (learners). */
    public List<RaftPeer> currentPeers() {
        List<RaftPeer> peers = new ArrayList<>(division().getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER));
        peers.addAll(division().getRaftConf().getCurrentPeers(RaftPeerRole.LISTENER));
        return peers;
    }

    /**
     * The shared client. A member that started joining (a group with no voter) gets a client for the
     * configuration it learns once added; until then it has no one to send to and calls fail UNAVAILABLE.
     * The client is rebuilt when the configuration's peers change: a client knows only the peers it was built
     * with, and a leader it does not know ("Server node3 not found") would leave this member blind for good.
     * A replaced client is closed only with this node, so calls still in flight on it can finish.
     */
    public RaftClient client() {
        RaftClient current = client;
        List<RaftPeer> peers = votersSorted();
        if (current != null && clientHasPeers && peers.equals(clientPeers)) {
            return current;
        }
        synchronized (this) {
            if (client == null || !clientHasPeers || !peers.equals(clientPeers)) {
                boolean hasVoters = !division().getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER).isEmpty();
                if (client == null || hasVoters) {
                    RaftClient old = client;
                    client = RaftClient.newBuilder()
                            .setClientId(clientId)
                            .setProperties(properties)
                            .setRaftGroup(RaftGroup.valueOf(groupId, peers))
                            .setRetryPolicy(retryPolicy(config.timeouts()))
                            .build();
                    clientHasPeers = hasVoters;
                    clientPeers = peers;
                    if (old != null) {
                        retiredClients.add(old);
                    }
                }
            }
            return client;
        }
    }

    private List<RaftPeer> votersSorted() {
        List<RaftPeer> peers = new ArrayList<>(division().getRaftConf().getAllPeers());
        if (peers.isEmpty()) {
            peers.addAll(division().getGroup().getPeers());
        }
        peers.sort(java.util.Comparator.comparing(p -> p.getId().toString()));
        return peers;
    }

    /**
     * Submits a read-only request to this member's own server (a ReadIndex read when the read option is
     * LINEARIZABLE), bypassing the client: no network hop, and nothing to go stale in a client's connections.
     */
    public CompletableFuture<RaftClientReply> readLocally(Message query, long timeoutMs) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(readerId)
                .setServerId(self.getId())
                .setGroupId(groupId)
                .setCallId(readCallIds.incrementAndGet())
                .setMessage(query)
                .setType(RaftClientRequest.readRequestType())
                .setTimeoutMs(timeoutMs)
                .build();
        try {
            return server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Submits a write to this member's own server, for use while it leads: the entry is appended without the
     * client's gRPC round trip to itself. A member that is not (or no longer) the leader answers with a
     * not-leader or leader-not-ready exception and has appended nothing, so the caller may send it elsewhere.
     */
    public CompletableFuture<RaftClientReply> writeLocally(Message entry, long timeoutMs) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(writerId)
                .setServerId(self.getId())
                .setGroupId(groupId)
                .setCallId(writeCallIds.incrementAndGet())
                .setMessage(entry)
                .setType(RaftClientRequest.writeRequestType())
                .setTimeoutMs(timeoutMs)
                .build();
        try {
            return server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Sends a write to {@code target} as one request of {@code client} on its unordered stream (or to this member's
     * own server directly), with the caller's call ID: repeating it with the same ID lets the servers' retry cache
     * recognise a write that was already applied.
     */
    public CompletableFuture<RaftClientReply> writeTo(RaftClient client, RaftPeerId target, Message entry, long callId,
            long timeoutMs) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(client.getId())
                .setServerId(target)
                .setGroupId(groupId)
                .setCallId(callId)
                .setMessage(entry)
                .setType(RaftClientRequest.writeRequestType())
                .setTimeoutMs(timeoutMs)
                .build();
        if (target.equals(self.getId())) {
            try {
                return server.submitClientRequestAsync(request);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return client.getClientRpc().sendRequestAsyncUnordered(request);
    }

    /**
     * Drops a client that can no longer send: Ratis' ordered async client closes for good once one request
     * exhausted its retries. The next {@link #client()} builds a new one with the same client ID (so the
     * servers' retry cache still recognises retried calls).
     */
    public synchronized void discardClient(RaftClient broken) {
        if (client == broken) {
            client = null;
            clientHasPeers = false;
            closeQuietly(broken);
        }
    }

    @Override
    public void close() {
        closeQuietly(client);
        synchronized (this) {
            retiredClients.forEach(RaftStoreNode::closeQuietly);
            retiredClients.clear();
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new StoreException(EtcdErrors.UNKNOWN, "pgha: closing the Raft server failed: " + e);
        }
    }

    private static RetryPolicy retryPolicy(RaftStoreConfig.Timeouts timeouts) {
        int attempts = (int) Math.max(3, timeouts.request().toMillis() / CLIENT_RETRY_SLEEP_MILLIS);
        return RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, millis(CLIENT_RETRY_SLEEP_MILLIS));
    }

    private static void closeQuietly(RaftClient c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                // closing is best effort: the client holds no state that outlives it
            }
        }
    }

    private static RaftProperties properties(RaftStoreConfig config) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().toFile()));
        int colon = config.address().lastIndexOf(':');
        GrpcConfigKeys.Server.setHost(p, config.address().substring(0, colon));
        GrpcConfigKeys.Server.setPort(p, Integer.parseInt(config.address().substring(colon + 1)));
        RaftStoreConfig.Timeouts t = config.timeouts();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(t.electionMin().toMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(t.electionMax().toMillis()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, millis(t.request().toMillis()));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setTimeout(p, millis(t.request().toMillis()));
        RaftServerConfigKeys.setCloseThreshold(p, TimeDuration.valueOf(1, TimeUnit.DAYS));
        RaftServerConfigKeys.setStagingTimeout(p, millis(3 * t.electionMax().toMillis() + t.request().toMillis()));
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(t.request().toMillis()));
        RaftStoreConfig.LogLimits log = config.log();
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, log.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, log.snapshotThreshold()));
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, log.snapshotThreshold()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(log.segmentBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(p,
                SizeInBytes.valueOf(Math.min(log.segmentBytes(), 4L * 1024 * 1024)));
        return p;
    }

    private static TimeDuration millis(long ms) {
        return TimeDuration.valueOf(ms, TimeUnit.MILLISECONDS);
    }
}

package io.pgha.store.raft;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreCluster;
import io.pgha.store.StoreException;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * Membership and status of the replicated store, on top of Ratis' configuration. Member IDs derive from Raft peer
 * names and the cluster ID from the group ({@link StoreIds}); learners are Ratis listeners.
 *
 * <p>Client URLs are kept in the store itself, under the reserved prefix {@value #MEMBER_PREFIX}{@code <name>}
 * (value: the URLs joined by {@code ","}), so they are replicated, survive restarts and reach joining members with
 * the rest of the data; Ratis peers only carry Raft addresses. Peer URLs are {@code http://<raft address>}.
 *
 * <p>A new member starts as the only listener of its own group (same group ID) and waits to be added. Added as a
 * learner it becomes a Ratis listener of the cluster: it receives the log (Ratis' leader stages it, so the change
 * commits once it caught up) but never votes. {@link #promoteMember} then makes it a voter in place, once it is in
 * sync (as etcd). Added straight as a voter, Ratis' leader stages it the same way before the joint configuration
 * commits, so adding a slow member never stalls writes either way. Ratis refuses to change a majority of voters
 * at once (1 to 2 is allowed), so voters are added one at a time; concurrent changes are retried
 * ({@link MembershipChanges}), so joins may run at the same time.
 */
public final class RatisStoreCluster implements StoreCluster {
    /** Reserved key prefix for members' client URLs. */
    public static final String MEMBER_PREFIX = "/pgha/store/members/";
    private static final StoreException MEMBER_EXISTS =
            new StoreException(EtcdErrors.FAILED_PRECONDITION, "etcdserver: member ID already exist");
    private static final StoreException PEER_URL_EXISTS =
            new StoreException(EtcdErrors.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
    private static final StoreException LEARNER_NOT_IN_SYNC = new StoreException(EtcdErrors.FAILED_PRECONDITION,
            "etcdserver: can only promote a learner member which is in sync with leader");
    private static final long IN_SYNC_PERCENT = 90;
    private static final StoreException NOT_LEARNER =
            new StoreException(EtcdErrors.FAILED_PRECONDITION, "etcdserver: can only promote a learner member");

    private final RatisKvStore store;
    private final RaftStoreNode node;
    private final MembershipChanges changes;

    public RatisStoreCluster(RatisKvStore store) {
        this.store = store;
        this.node = store.node();
        this.changes = new MembershipChanges(node);
    }

    @Override
    public long clusterId() {
        return node.clusterId();
    }

    @Override
    public long memberId() {
        return node.memberId();
    }

    @Override
    public long raftTerm() {
        return store.raftTerm();
    }

    @Override
    public List<StoreMember> members() {
        Map<String, List<String>> clientUrls = clientUrls();
        List<StoreMember> members = new ArrayList<>();
        for (RaftPeer peer : node.currentPeers()) {
            String name = peer.getId().toString();
            boolean learner = node.division().getRaftConf().getPeer(peer.getId(), RaftPeerRole.LISTENER) != null;
            members.add(new StoreMember(StoreIds.memberId(name), name, List.of("http://" + peer.getAddress()),
                    clientUrls.getOrDefault(name, List.of()), learner));
        }
        members.sort(Comparator.comparing(StoreMember::name));
        return members;
    }

    @Override
    public StoreStatus status() {
        List<String> errors = new ArrayList<>();
        try {
            RaftServer.Division division = node.division();
            DivisionInfo info = division.getInfo();
            long leader = Optional.ofNullable(info.getLeaderId()).map(id -> StoreIds.memberId(id.toString()))
                    .orElse(0L);
            if (leader == 0) {
                errors.add(EtcdErrors.NO_LEADER.getMessage());
            }
            return new StoreStatus(leader, raftTerm(), division.getRaftLog().getLastCommittedIndex(),
                    info.getLastAppliedIndex(), diskUsage(node.config().dataDir()), info.isListener(), errors);
        } catch (StoreException e) {
            errors.add(e.getMessage());
            return new StoreStatus(0, raftTerm(), 0, 0, 0, false, errors);
        }
    }

    /** Publishes this member's client URLs (where its etcd API listens) for {@link #members()}. */
    public CompletableFuture<Void> publishClientUrls(List<String> clientUrls) {
        return store.put(urlsPut(node.peerId().toString(), clientUrls)).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<List<StoreMember>> addMember(String name, String peerUrl, List<String> clientUrls,
            boolean learner) {
        String address = peerUrl.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("/+$", "");
        for (RaftPeer peer : node.currentPeers()) {
            if (peer.getId().toString().equals(name)) {
                return CompletableFuture.failedFuture(MEMBER_EXISTS);
            }
            if (peer.getAddress().equals(address)) {
                return CompletableFuture.failedFuture(PEER_URL_EXISTS);
            }
        }
        RaftPeer peer = RaftStoreNode.peer(name, address, learner);
        return store.put(urlsPut(name, clientUrls))
                .thenCompose(r -> changes.change(peers -> learner ? peers.withListener(peer) : peers.promoted(peer)))
                .thenApply(v -> members());
    }

    @Override
    public CompletableFuture<List<StoreMember>> removeMember(long memberId) {
        Optional<RaftPeer> peer = find(memberId);
        if (peer.isEmpty()) {
            return CompletableFuture.failedFuture(EtcdErrors.MEMBER_NOT_FOUND);
        }
        String name = peer.get().getId().toString();
        return changes.change(peers -> peers.without(peer.get().getId()))
                .thenCompose(v -> store.deleteRange(DeleteRangeRequest.newBuilder().setKey(urlsKey(name)).build()))
                .thenApply(r -> members());
    }

    @Override
    public CompletableFuture<List<StoreMember>> promoteMember(long memberId) {
        Optional<RaftPeer> peer = find(memberId);
        if (peer.isEmpty()) {
            return CompletableFuture.failedFuture(EtcdErrors.MEMBER_NOT_FOUND);
        }
        if (node.division().getRaftConf().getPeer(peer.get().getId(), RaftPeerRole.LISTENER) == null) {
            return CompletableFuture.failedFuture(NOT_LEARNER);
        }
        if (!inSync(peer.get().getId())) {
            return CompletableFuture.failedFuture(LEARNER_NOT_IN_SYNC);
        }
        RaftPeer voter = RaftStoreNode.peer(peer.get().getId().toString(), peer.get().getAddress(), false);
        // In place: the learner started RUNNING (see RaftStoreNode), so once a voter it votes and serves reads.
        return changes.change(peers -> peers.promoted(voter)).thenApply(v -> members());
    }

    /**
     * Whether a learner is close enough to the leader to vote, as etcd asks before a promotion: its commit index,
     * as the leader last reported it, within {@value #IN_SYNC_PERCENT}% of this member's. Promoting a lagging
     * learner would add a voter that cannot ack writes yet, so 1 -> 2 would stall writes until it caught up.
     */
    private boolean inSync(RaftPeerId learner) {
        long ours = node.division().getRaftLog().getLastCommittedIndex();
        long theirs = node.division().getCommitInfos().stream()
                .filter(c -> RaftPeerId.valueOf(c.getServer().getId()).equals(learner))
                .mapToLong(CommitInfoProto::getCommitIndex).max().orElse(-1);
        return theirs >= 0 && theirs * 100 >= ours * IN_SYNC_PERCENT;
    }

    @Override
    public CompletableFuture<Void> moveLeader(long targetMemberId) {
        Optional<RaftPeer> peer = find(targetMemberId);
        if (peer.isEmpty()) {
            return CompletableFuture.failedFuture(EtcdErrors.MEMBER_NOT_FOUND);
        }
        return changes.transferLeadership(peer.get().getId());
    }

    private Optional<RaftPeer> find(long memberId) {
        return node.currentPeers().stream().filter(p -> StoreIds.memberId(p.getId().toString()) == memberId)
                .findFirst();
    }

    private Map<String, List<String>> clientUrls() {
        ByteString prefix = ByteString.copyFromUtf8(MEMBER_PREFIX);
        byte[] end = prefix.toByteArray();
        end[end.length - 1]++;
        try {
            List<KeyValue> kvs = node.state().range(RangeRequest.newBuilder().setKey(prefix)
                    .setRangeEnd(ByteString.copyFrom(end)).setSerializable(true).build()).getKvsList();
            return kvs.stream().collect(Collectors.toMap(
                    kv -> kv.getKey().toStringUtf8().substring(MEMBER_PREFIX.length()),
                    kv -> kv.getValue().isEmpty() ? List.of()
                            : Arrays.asList(kv.getValue().toString(StandardCharsets.UTF_8).split(",")),
                    (a, b) -> b));
        } catch (StoreException e) {
            return Map.of();
        }
    }

    private static PutRequest urlsPut(String name, List<String> clientUrls) {
        return PutRequest.newBuilder().setKey(urlsKey(name))
                .setValue(ByteString.copyFromUtf8(String.join(",", clientUrls))).build();
    }

    private static ByteString urlsKey(String name) {
        return ByteString.copyFromUtf8(MEMBER_PREFIX + name);
    }

    /** Approximate size of the store: its files on disk (log segments and snapshots). */
    private static long diskUsage(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}

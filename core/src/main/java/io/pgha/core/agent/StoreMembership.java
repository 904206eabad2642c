package io.pgha.core.agent;

import io.pgha.store.StoreCluster;
import io.pgha.store.raft.RaftStoreNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftConfiguration;

/**
 * Adds a member to the store as a voter, one change at a time. A member left as a learner by an older version is
 * promoted here against the Raft configuration because
 * {@code RatisStoreCluster} does not yet see learners ({@code members()} and {@code promoteMember()} list voters
 * only, and its compare-and-set promotion is refused once a learner is in the configuration). Callers serialize
 * joins, so the unconditional configuration write cannot undo a concurrent change made through this class.
 */
final class StoreMembership {
    private final StoreCluster cluster;
    private final Optional<RaftStoreNode> node;

    StoreMembership(StoreCluster cluster, Optional<RaftStoreNode> node) {
        this.cluster = cluster;
        this.node = node;
    }

    /** Voters' and learners' names. */
    List<String> names() {
        if (node.isEmpty()) {
            return cluster.members().stream().map(StoreCluster.StoreMember::name).toList();
        }
        return node.get().division().getRaftConf().getAllPeers().stream().map(p -> p.getId().toString())
                .distinct().sorted().toList();
    }

    boolean isVoter(String name) {
        return node.map(n -> peers(n.division().getRaftConf(), RaftPeerRole.FOLLOWER).stream()
                .anyMatch(p -> p.getId().toString().equals(name)))
                .orElseGet(() -> cluster.members().stream().anyMatch(m -> m.name().equals(name) && !m.learner()));
    }

    /** Adds {@code name} as a learner unless it is one already, then promotes it to voter. */
    synchronized void addVoter(String name, String peerAddress, String clientUrl, Duration timeout)
            throws Exception {
        if (isVoter(name)) {
            return;
        }
        if (node.isEmpty() || !names().contains(name)) {
            // Straight to voter: Ratis stages a new peer itself (it catches up before the new configuration is
            // committed). A Ratis 3.3.0 listener promoted to voter stays in STARTING and never votes, so a
            // cluster grown listener-first loses its quorum with the first lost member.
            try {
                cluster.addMember(name, "http://" + peerAddress, List.of(clientUrl), false)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // The Raft client retries a configuration change that timed out; when the first attempt went
                // through, the compare-and-set retry is refused although the member was added. Judge by the result.
                if (!isVoter(name)) {
                    throw e;
                }
            }
            return;
        }
        promote(node.get(), name);
    }

    private static void promote(RaftStoreNode node, String name) throws IOException {
        RaftConfiguration conf = node.division().getRaftConf();
        List<RaftPeer> voters = new ArrayList<>(peers(conf, RaftPeerRole.FOLLOWER));
        List<RaftPeer> listeners = new ArrayList<>();
        for (RaftPeer p : peers(conf, RaftPeerRole.LISTENER)) {
            if (p.getId().toString().equals(name)) {
                voters.add(RaftStoreNode.peer(name, p.getAddress(), false));
            } else {
                listeners.add(p);
            }
        }
        SetConfigurationRequest.Arguments args = SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(voters).setListenersInNewConf(listeners)
                .setMode(SetConfigurationRequest.Mode.SET_UNCONDITIONALLY).build();
        RaftClientReply reply = node.client().admin().setConfiguration(args);
        if (!reply.isSuccess()) {
            throw new IOException("promoting " + name + " failed: " + reply.getException());
        }
    }

    private static List<RaftPeer> peers(RaftConfiguration conf, RaftPeerRole role) {
        return List.copyOf(conf.getCurrentPeers(role));
    }
}

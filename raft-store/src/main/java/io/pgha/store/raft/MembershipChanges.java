package io.pgha.store.raft;

import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftConfiguration;

/**
 * Ratis configuration changes and leadership transfers, run off the caller's thread (Ratis' admin API blocks) and
 * bounded by a deadline: a change that cannot commit (no quorum, new member unreachable) fails UNAVAILABLE.
 * Changes are compare-and-set against the configuration this member sees, so two concurrent changes cannot
 * silently undo each other; the loser fails and may retry.
 */
final class MembershipChanges {
    /** Staging a new member includes its catch-up, so changes get more time than ordinary requests. */
    private static final int DEADLINE_REQUESTS = 5;

    private final RaftStoreNode node;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pgha-store-membership");
        t.setDaemon(true);
        return t;
    });

    MembershipChanges(RaftStoreNode node) {
        this.node = node;
    }

    /** Voters and listeners (learners) of one configuration. */
    record Peers(List<RaftPeer> voters, List<RaftPeer> listeners) {
        Peers {
            voters = List.copyOf(voters);
            listeners = List.copyOf(listeners);
        }

        Peers withListener(RaftPeer listener) {
            List<RaftPeer> more = new ArrayList<>(listeners);
            more.add(listener);
            return new Peers(voters, more);
        }

        Peers promoted(RaftPeer voter) {
            List<RaftPeer> more = new ArrayList<>(voters);
            more.add(voter);
            return new Peers(more, without(listeners, voter.getId()));
        }

        Peers without(RaftPeerId id) {
            return new Peers(without(voters, id), without(listeners, id));
        }

        private static List<RaftPeer> without(Collection<RaftPeer> peers, RaftPeerId id) {
            return peers.stream().filter(p -> !p.getId().equals(id)).toList();
        }
    }

    /** Applies {@code change} to the current configuration; completes once the new configuration committed. */
    CompletableFuture<Void> change(UnaryOperator<Peers> change) {
        return run(() -> {
            RaftConfiguration conf = node.division().getRaftConf();
            Peers current = new Peers(List.copyOf(conf.getCurrentPeers(RaftPeerRole.FOLLOWER)),
                    List.copyOf(conf.getCurrentPeers(RaftPeerRole.LISTENER)));
            Peers next = change.apply(current);
            // The Arguments builder, not setConfiguration(RaftPeer[], RaftPeer[]), which drops the servers (3.3.0).
            SetConfigurationRequest.Arguments arguments = SetConfigurationRequest.Arguments.newBuilder()
                    .setServersInCurrentConf(current.voters())
                    .setListenersInCurrentConf(current.listeners())
                    .setServersInNewConf(next.voters())
                    .setListenersInNewConf(next.listeners())
                    .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                    .build();
            return node.client().admin().setConfiguration(arguments);
        });
    }

    CompletableFuture<Void> transferLeadership(RaftPeerId target) {
        long timeoutMs = node.config().timeouts().request().toMillis() * 2;
        return run(() -> node.client().admin().transferLeadership(target, timeoutMs));
    }

    private CompletableFuture<Void> run(Call call) {
        long deadline = node.config().timeouts().request().toMillis() * DEADLINE_REQUESTS;
        Supplier<Void> task = () -> {
            RaftClientReply reply;
            try {
                reply = call.run();
            } catch (IOException e) {
                throw new CompletionException(failure(e));
            }
            if (!reply.isSuccess()) {
                throw new CompletionException(failure(reply.getException()));
            }
            return null;
        };
        return CompletableFuture.supplyAsync(task, executor)
                .orTimeout(deadline, TimeUnit.MILLISECONDS)
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof TimeoutException) {
                        throw new CompletionException(unavailable());
                    }
                    throw cause instanceof CompletionException c ? c : new CompletionException(cause);
                });
    }

    private StoreException failure(Exception e) {
        if (e instanceof StoreException s) {
            return s;
        }
        String message = e == null ? "" : String.valueOf(e.getMessage());
        if (message.contains("Failed to set configuration") || message.contains("refused to transfer")) {
            return new StoreException(EtcdErrors.FAILED_PRECONDITION, "pgha: " + message);
        }
        return unavailable();
    }

    private StoreException unavailable() {
        return node.leaderId().isPresent() ? EtcdErrors.TIMED_OUT : EtcdErrors.NO_LEADER;
    }

    @FunctionalInterface
    private interface Call {
        RaftClientReply run() throws IOException;
    }
}

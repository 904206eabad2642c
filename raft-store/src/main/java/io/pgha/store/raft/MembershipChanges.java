package io.pgha.store.raft;

import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
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
    private static final long RETRY_SLEEP_MILLIS = 100;

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

        /** Adds a listener; no change if the peer is in the configuration already (a retried change). */
        Peers withListener(RaftPeer listener) {
            if (contains(listener.getId())) {
                return this;
            }
            List<RaftPeer> more = new ArrayList<>(listeners);
            more.add(listener);
            return new Peers(voters, more);
        }

        /** Makes {@code voter} a voter, adding it or moving it from the listeners; no change if it votes already. */
        Peers promoted(RaftPeer voter) {
            if (voters.stream().anyMatch(p -> p.getId().equals(voter.getId()))) {
                return this;
            }
            List<RaftPeer> more = new ArrayList<>(voters);
            more.add(voter);
            return new Peers(more, without(listeners, voter.getId()));
        }

        boolean contains(RaftPeerId id) {
            return Stream.concat(voters.stream(), listeners.stream()).anyMatch(p -> p.getId().equals(id));
        }

        Peers without(RaftPeerId id) {
            return new Peers(without(voters, id), without(listeners, id));
        }

        private static List<RaftPeer> without(Collection<RaftPeer> peers, RaftPeerId id) {
            return peers.stream().filter(p -> !p.getId().equals(id)).toList();
        }
    }

    /**
     * Applies {@code change} to the current configuration; completes once the new configuration committed. A change
     * that lost a race (another change in progress, or the configuration moved since it was read here) is
     * recomputed from the newer configuration and retried until the deadline, so concurrent joins all succeed.
     */
    CompletableFuture<Void> change(UnaryOperator<Peers> change) {
        return run(() -> {
            long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(node.config().timeouts().request()
                    .toMillis() * (DEADLINE_REQUESTS - 1));
            while (true) {
                RaftClientReply reply;
                IOException thrown = null;
                try {
                    reply = changeOnce(change);
                } catch (IOException e) {
                    reply = null;
                    thrown = e;
                }
                Exception failure = thrown != null ? thrown : reply.isSuccess() ? null : reply.getException();
                if (!lostRace(failure) || System.nanoTime() > giveUp) {
                    if (thrown != null) {
                        throw thrown;
                    }
                    return reply;
                }
                sleepBeforeRetry();
            }
        });
    }

    private RaftClientReply changeOnce(UnaryOperator<Peers> change) throws IOException {
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
    }

    /** Ratis refused the change only because another one came first; a retry computes it afresh. */
    private static boolean lostRace(Exception failure) {
        if (failure instanceof ReconfigurationInProgressException) {
            return true;
        }
        String message = failure == null ? "" : String.valueOf(failure.getMessage());
        return message.contains("Reconfiguration is already in progress") || message.contains("is different than");
    }

    private static void sleepBeforeRetry() throws IOException {
        try {
            Thread.sleep(RETRY_SLEEP_MILLIS + ThreadLocalRandom.current().nextLong(RETRY_SLEEP_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while retrying a membership change");
        }
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

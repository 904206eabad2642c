package io.pgha.core.agent;

import io.pgha.core.config.Secret;
import io.pgha.store.StoreCluster;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a new node into the store's Raft group when it presents the cluster token. The token is compared in
 * constant time; a wrong or missing token changes nothing. The new member is added as a learner first and then
 * promoted to voter once in sync ({@link StoreCluster#addVoterThroughLearner}).
 * Adding a member that is already in the group (an agent restarting its join) is accepted and changes nothing.
 */
public final class JoinService {
    private static final Logger LOG = LoggerFactory.getLogger(JoinService.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final StoreMembership membership;
    private final Optional<Secret> token;

    public JoinService(StoreCluster cluster, Optional<Secret> token) {
        this.membership = new StoreMembership(cluster);
        this.token = token;
    }

    /** The outcome of a join request: an HTTP status and a message for the joining node. */
    public record Result(int status, String message) {
    }

    /** A join request from node {@code name}, whose Raft peer listens at {@code peerAddress}. */
    public Result join(String name, String peerAddress, String clientUrl, String presentedToken) {
        if (token.isEmpty()) {
            return new Result(403, "this cluster has no token configured; joining is disabled");
        }
        if (presentedToken == null || !MessageDigest.isEqual(presentedToken.getBytes(StandardCharsets.UTF_8),
                token.get().reveal().getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("join refused: {} ({}) presented a wrong cluster token", name, peerAddress);
            return new Result(403, "wrong cluster token");
        }
        if (name == null || name.isBlank() || peerAddress == null || peerAddress.isBlank()) {
            return new Result(400, "name and peer address are required");
        }
        try {
            LOG.info("join: adding {} at {} to the store (learner, then voter)", name, peerAddress);
            membership.addVoter(name, peerAddress, clientUrl, TIMEOUT);
            return new Result(200, name + " is a member; members: " + members());
        } catch (ExecutionException e) {
            String why = String.valueOf(e.getCause().getMessage());
            if (membership.isVoter(name)) {
                // The change landed although its answer did not (a timed-out request retried by the store client
                // finds the configuration already changed): refusing now would strand a voter that never starts.
                LOG.info("join: {} is a voter already ({}); the join succeeded", name, why);
                return new Result(200, name + " is a member; members: " + members());
            }
            // A change that timed out may still complete; the joining node retries and the retry finishes it.
            return new Result(why.contains("timed out") || why.contains("no leader") ? 503 : 409,
                    "cannot add " + name + ": " + why);
        } catch (TimeoutException e) {
            return new Result(503, "adding " + name + " timed out after " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(503, "interrupted");
        } catch (Exception e) {
            return new Result(409, "cannot add " + name + ": " + e);
        }
    }

    /** The store members' names. */
    public List<String> members() {
        return membership.names();
    }
}

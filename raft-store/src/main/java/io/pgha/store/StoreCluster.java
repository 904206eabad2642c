package io.pgha.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Membership and status of the replicated store, for the etcd Cluster and Maintenance APIs and for the agent.
 * IDs are stable: a member's ID derives from its name, the cluster ID from the Raft group, so they are the same on
 * every member and across restarts.
 */
public interface StoreCluster {

    long clusterId();

    /** The ID of the member answering. */
    long memberId();

    /** Current term as seen by this member; never goes backwards. */
    long raftTerm();

    /** Members and learners, in a stable order. */
    List<StoreMember> members();

    StoreStatus status();

    /** Adds a member, a voter or a learner (which never votes until promoted); completes when the change commits. */
    CompletableFuture<List<StoreMember>> addMember(String name, String peerUrl, List<String> clientUrls,
            boolean learner);

    /**
     * Grows the cluster as etcd does: adds {@code name} as a learner, then promotes it once it is in sync; completes
     * when it votes. Repeating it for a learner only promotes it, for a voter changes nothing.
     */
    default CompletableFuture<List<StoreMember>> addVoterThroughLearner(String name, String peerUrl,
            List<String> clientUrls, Duration timeout) {
        return LearnerFirstJoin.join(this, name, peerUrl, clientUrls, timeout);
    }

    CompletableFuture<List<StoreMember>> removeMember(long memberId);

    CompletableFuture<List<StoreMember>> promoteMember(long memberId);

    /** Transfers Raft leadership to the target; fails with NOT_FOUND for an unknown member. */
    CompletableFuture<Void> moveLeader(long targetMemberId);

    /** One member of the store. */
    record StoreMember(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
        public StoreMember {
            peerUrls = List.copyOf(peerUrls);
            clientUrls = List.copyOf(clientUrls);
        }
    }

    /**
     * This member's view. {@code leaderId} 0 when there is no leader; {@code raftIndex} the commit index;
     * {@code dbSize} an estimate of the state's size in bytes.
     */
    record StoreStatus(long leaderId, long raftTerm, long raftIndex, long raftAppliedIndex, long dbSize,
            boolean learner, List<String> errors) {
        public StoreStatus {
            errors = List.copyOf(errors);
        }
    }
}

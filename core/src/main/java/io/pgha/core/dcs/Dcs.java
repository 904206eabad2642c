package io.pgha.core.dcs;

import io.pgha.core.postgres.Lsn;
import java.util.List;

/**
 * The cluster's keys as domain operations (STYLE P5). Every method blocks for at most the store's deadline and
 * throws {@link DcsException} when the store cannot answer (no quorum, timeout); a lost race or failed compare is a
 * {@code false} result, never an exception. Writes that depend on what was read are compare-and-set transactions.
 */
public interface Dcs {

    /** One linearizable read of every key under {@code /pgha/<cluster>/}, as an immutable snapshot. */
    ClusterView readClusterView();

    /** Bootstrap race: creates {@code initialize} with {@code value} only if it has never existed (create == 0). */
    boolean tryInitialize(String value);

    /** Replaces this member's pending initialize claim with the system identifier (compare on the claim's value). */
    boolean recordSystemId(String systemId);

    /**
     * Takes the free leader key: grants (or reuses) this agent's lease of {@code ttl} and puts the key bound to it,
     * only if the key does not exist (create == 0). Returns whether we now hold it.
     */
    boolean tryAcquireLeader();

    /**
     * Keeps the lease alive and re-puts the leader key only if it still names us (compare on value and lease), so
     * each renewal gives the key a new revision. {@code false} means the key is gone or held by somebody else: the
     * caller must demote (rule 1).
     */
    boolean renewLeader();

    /**
     * Takes over a leader key whose holder stopped renewing it: puts it bound to this agent's lease only if its
     * revision is still {@code silent}'s (compare on mod revision). Returns whether we now hold it.
     */
    boolean takeOverSilentLeader(LeaderKey silent);

    /** The TTL the lease {@code leaseId} was granted with, in seconds; 0 or less if it no longer exists. */
    long grantedTtlSeconds(long leaseId);

    /** Deletes the leader key only if it names us; used on a clean switchover or a refused promotion. */
    boolean releaseLeader();

    /** Publishes this member's record under {@code members/<name>}, bound to the agent's lease. */
    void publishMember(MemberState member);

    /**
     * Publishes this node as a witness under {@code witnesses/<name>}, bound to its lease of {@code ttl} (kept alive
     * by the call), so that {@code pgha list} can tell a witness from a data node that is down.
     */
    void publishWitness();

    /** Publishes the primary's WAL position under {@code status} (the reference for replicas' lag). */
    void publishStatus(Lsn primaryLsn);

    /**
     * Replaces the {@code history} key (timeline switches, oldest first); only the leader key's holder writes it,
     * after its promotion created a new timeline.
     */
    void publishHistory(List<HistoryEntry> history);

    /**
     * Writes the {@code sync} key (this member as its leader, {@code standbys}) only while the leader key names us, so
     * a deposed primary cannot overwrite what its successor wrote. Returns whether it was written.
     */
    boolean writeSync(java.util.Set<String> standbys);

    /** Clears a failover request if it is still the one read at {@code modRevision}. */
    boolean clearFailover(long modRevision);

    /**
     * Calls {@code onChange} (from a store thread, never concurrently with itself) after any key under the cluster
     * prefix changes; the HA loop uses it to wake up early. Close the returned handle to stop.
     */
    AutoCloseable watch(Runnable onChange);
}

package io.pgha.core.agent;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * ARCHITECTURE.md rule 6: two data nodes cannot keep a Raft majority after losing one, so a store of exactly two
 * voters stops (and with it failover and writes) when either node is lost. Says so, and names the witnesses (store
 * voters that publish a witness key instead of a member record) for {@code pgha list}.
 */
final class QuorumAdvice {
    private Optional<String> last = Optional.empty();

    /** The warning for a store with these voters, if any. */
    static Optional<String> warning(List<String> storeMembers) {
        if (storeMembers.size() != 2) {
            return Optional.empty();
        }
        return Optional.of("automatic failover needs a witness: the store has two voters ("
                + String.join(", ", new TreeSet<>(storeMembers)) + ") and stops when either is lost; run"
                + " `pgha witness --join <address of a data node>` on a third machine");
    }

    /** The store voters that hold a live witness key. */
    static List<String> witnesses(List<String> storeMembers, List<String> witnessKeys) {
        return witnessKeys.stream().filter(storeMembers::contains).sorted().toList();
    }

    /** The warning when it appeared or changed since the last call (so it is logged once), else empty. */
    synchronized Optional<String> check(List<String> storeMembers) {
        Optional<String> now = warning(storeMembers);
        if (now.equals(last)) {
            return Optional.empty();
        }
        last = now;
        return now;
    }
}

package io.pgha.store.raft;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * Stable identities. The Raft group UUID is a name-based UUID of the cluster name, so every member (and every
 * restart) computes the same group and the same etcd {@code cluster_id} without exchanging anything; a member's
 * etcd {@code member_id} is derived from its name the same way. Both IDs are non-zero, as etcd's are.
 */
public final class StoreIds {

    private StoreIds() {
    }

    /** The Raft group of the cluster named {@code clusterName}. */
    public static RaftGroupId groupId(String clusterName) {
        return RaftGroupId.valueOf(nameUuid("pgha-cluster:" + clusterName));
    }

    /** etcd's cluster_id for a Raft group. */
    public static long clusterId(RaftGroupId groupId) {
        return nonZero(groupId.getUuid());
    }

    /** etcd's member_id for the member (Raft peer) named {@code memberName}. */
    public static long memberId(String memberName) {
        return nonZero(nameUuid("pgha-member:" + memberName));
    }

    private static UUID nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private static long nonZero(UUID uuid) {
        long id = uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
        return id == 0 ? 1 : id;
    }
}

package io.pgha.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseGrantResponse;
import io.pgha.store.proto.LeaseKeepAliveRequest;
import io.pgha.store.proto.LeaseLeasesResponse;
import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.LeaseRevokeResponse;
import io.pgha.store.proto.LeaseStatus;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LeaseTimeToLiveResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Leases: part of {@link KvStoreContract}. */
public abstract class LeaseContract extends TxnContract {

    long grant(long ttl) {
        return get(store.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build())).getID();
    }

    long keepAlive(long id) {
        return get(store.leaseKeepAlive(LeaseKeepAliveRequest.newBuilder().setID(id).build())).getTTL();
    }

    @Test
    public void grantPicksPositiveIdsAndRaisesTtlToTheMinimum() {
        LeaseGrantResponse r = get(store.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(1).build()));
        assertThat(r.getID()).isPositive();
        assertThat(r.getTTL()).isEqualTo(2);
        assertThat(r.getError()).isEmpty();
        assertThat(grant(30)).isPositive().isNotEqualTo(r.getID());
        assertThat(revision()).isEqualTo(1);
    }

    @Test
    public void grantRejectsDuplicateIdsAndHugeTtls() {
        get(store.leaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(30).build()));
        assertFails(store.leaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(30).build()),
                EtcdErrors.FAILED_PRECONDITION, "etcdserver: lease already exists");
        assertFails(store.leaseGrant(LeaseGrantRequest.newBuilder().setID(8).setTTL(9_000_000_001L).build()),
                EtcdErrors.OUT_OF_RANGE, "etcdserver: too large lease TTL");
    }

    @Test
    public void revokeDeletesEveryAttachedKeyInOneRevision() {
        long id = grant(60);
        put("a", "1", id);
        put("b", "1", id);
        put("c", "1");
        LeaseRevokeResponse r = get(store.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()));
        assertThat(r.getHeader().getRevision()).isEqualTo(5);
        assertThat(kv("a")).isNull();
        assertThat(kv("b")).isNull();
        assertThat(kv("c")).isNotNull();
        assertFails(store.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()), EtcdErrors.NOT_FOUND,
                "etcdserver: requested lease not found");
    }

    @Test
    public void revokeOfALeaseWithoutKeysDoesNotBumpTheRevision() {
        long id = grant(60);
        get(store.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()));
        assertThat(revision()).isEqualTo(1);
    }

    @Test
    public void reattachingAKeyDetachesItFromItsOldLease() {
        long first = grant(60);
        long second = grant(60);
        put("a", "1", first);
        put("b", "1", first);
        put("a", "2", second);
        put("b", "2");
        get(store.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(first).build()));
        assertThat(kv("a").getLease()).isEqualTo(second);
        assertThat(kv("b").getLease()).isZero();
        LeaseTimeToLiveResponse ttl = get(store.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(second)
                .setKeys(true).build()));
        assertThat(ttl.getKeysList()).containsExactly(bs("a"));
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
        assertThat(ttl.getTTL()).isBetween(1L, 60L);
    }

    @Test
    public void unknownLeasesAnswerTtlZeroOnKeepAliveAndMinusOneOnTimeToLive() {
        assertThat(keepAlive(4242)).isZero();
        assertThat(get(store.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(4242).build())).getTTL())
                .isEqualTo(-1);
    }

    @Test
    public void leasesListsEveryGrantedLease() {
        long a = grant(60);
        long b = grant(60);
        LeaseLeasesResponse r = get(store.leaseLeases());
        assertThat(r.getLeasesList()).extracting(LeaseStatus::getID).containsExactlyInAnyOrder(a, b);
    }

    @Test
    public void expiredLeaseDeletesItsKeysAndIsForgotten() {
        long id = grant(2);
        put("ephemeral", "1", id);
        put("stays", "1");
        advanceTime(Duration.ofSeconds(3));
        await("lease expiry deletes the key", () -> kv("ephemeral") == null);
        assertThat(kv("stays")).isNotNull();
        assertThat(keepAlive(id)).isZero();
        assertThat(revision()).isEqualTo(4);
    }

    @Test
    public void keepAliveRenewsTheLeaseToItsFullTtl() {
        long id = grant(4);
        put("k", "1", id);
        advanceTime(Duration.ofSeconds(2));
        assertThat(keepAlive(id)).isEqualTo(4);
        advanceTime(Duration.ofSeconds(3));
        assertThat(kv("k")).isNotNull();
        assertThat(keepAlive(id)).isEqualTo(4);
    }
}

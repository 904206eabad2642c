package io.pgha.store.raft;

import static io.pgha.store.raft.RaftFailoverTest.bs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseGrantResponse;
import io.pgha.store.proto.LeaseKeepAliveRequest;
import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Raft plumbing on one member: headers, errors, request limits, lease renewals by the leader. */
class RaftPlumbingTest {
    @TempDir
    Path dir;
    private RaftTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private RatisKvStore single() {
        cluster = RaftTestCluster.start(dir, 1, RaftStates.factory(), RaftStoreConfig.LogLimits.DEFAULT);
        return cluster.awaitLeader();
    }

    @Test
    void writesAreReadBackLinearizablyAndSerializably() throws Exception {
        RatisKvStore store = single();
        PutResponse put = store.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("1")).build())
                .get(5, TimeUnit.SECONDS);
        RangeResponse linear = store.range(RangeRequest.newBuilder().setKey(bs("a")).build())
                .get(5, TimeUnit.SECONDS);
        RangeResponse serial = store.range(RangeRequest.newBuilder().setKey(bs("a")).setSerializable(true).build())
                .get(5, TimeUnit.SECONDS);

        assertThat(put.getHeader().getRevision()).isEqualTo(2);
        assertThat(linear.getKvs(0).getValue().toStringUtf8()).isEqualTo("1");
        assertThat(serial.getKvsList()).isEqualTo(linear.getKvsList());
    }

    @Test
    void headersCarryStableClusterAndMemberIdsAndTheTerm() throws Exception {
        RatisKvStore store = single();
        PutResponse put = store.put(PutRequest.newBuilder().setKey(bs("a")).build()).get(5, TimeUnit.SECONDS);

        assertThat(put.getHeader().getClusterId()).isEqualTo(StoreIds.clusterId(StoreIds.groupId("test-cluster")))
                .isNotZero();
        assertThat(put.getHeader().getMemberId()).isEqualTo(StoreIds.memberId("m1")).isNotZero();
        assertThat(put.getHeader().getRaftTerm()).isPositive();
    }

    @Test
    void businessErrorsKeepEtcdCodeAndMessage() {
        RatisKvStore store = single();

        assertThatThrownBy(() -> store.put(PutRequest.newBuilder().setKey(bs("a")).setLease(42).build()).join())
                .isInstanceOf(CompletionException.class).hasCause(EtcdErrors.LEASE_NOT_FOUND);
        assertThatThrownBy(() -> store.range(RangeRequest.getDefaultInstance()).join())
                .hasCause(EtcdErrors.EMPTY_KEY);
    }

    @Test
    void leaseGrantPicksAPositiveIdAndRenewalsAreAnsweredByTheLeader() throws Exception {
        RatisKvStore store = single();
        LeaseGrantResponse grant = store.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(10).build())
                .get(5, TimeUnit.SECONDS);

        assertThat(grant.getID()).isPositive();
        assertThat(store.leaseKeepAlive(LeaseKeepAliveRequest.newBuilder().setID(grant.getID()).build())
                .get(5, TimeUnit.SECONDS).getTTL()).isEqualTo(10);
        assertThat(store.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(grant.getID()).build())
                .get(5, TimeUnit.SECONDS).getTTL()).isBetween(9L, 10L);
        assertThat(store.leaseKeepAlive(LeaseKeepAliveRequest.newBuilder().setID(7).build())
                .get(5, TimeUnit.SECONDS).getTTL()).isZero();
        store.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(grant.getID()).build()).get(5, TimeUnit.SECONDS);
        assertThat(store.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(grant.getID()).build())
                .get(5, TimeUnit.SECONDS).getTTL()).isEqualTo(-1);
    }

    @Test
    void oversizedRequestsAreRejectedBeforeLogging() {
        RatisKvStore store = single();
        byte[] big = new byte[EtcdStateMachine.MAX_ENTRY_BYTES + 1];

        assertThatThrownBy(() -> store.put(PutRequest.newBuilder().setKey(bs("big"))
                .setValue(com.google.protobuf.ByteString.copyFrom(big)).build()).join())
                .hasCause(EtcdErrors.REQUEST_TOO_LARGE);
    }
}

package io.pgha.store.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.LogReply;
import io.pgha.store.proto.PutRequest;
import org.junit.jupiter.api.Test;

/** Apply-level rules that the KvStore surface cannot show: errors travel in the reply, never as exceptions. */
class MvccStoreStateTest {
    private final MvccStoreState state = new MvccStoreState();

    @Test
    void grantWithoutAnIdIsAnErrorBecauseTheProposerPicksIds() {
        LogReply r = state.apply(LogEntry.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setTTL(5))
                .build());
        assertThat(r.getError().getCode()).isEqualTo(EtcdErrors.NOT_FOUND);
        assertThat(state.leaseTtls()).isEmpty();
    }

    @Test
    void emptyEntryAndBusinessErrorsAreReplies() {
        assertThat(state.apply(LogEntry.getDefaultInstance()).hasError()).isTrue();
        LogReply r = state.apply(LogEntry.newBuilder().setPut(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("k")).setLease(3)).build());
        assertThat(r.getError()).isEqualTo(EtcdErrors.LEASE_NOT_FOUND.toProto());
        assertThat(state.revision()).isEqualTo(1);
    }

    @Test
    void expiryOfAGoneLeaseIsNotAnErrorButRevokeIs() {
        LeaseRevokeRequest gone = LeaseRevokeRequest.newBuilder().setID(9).build();
        assertThat(state.apply(LogEntry.newBuilder().setLeaseExpire(gone).build()).hasLeaseRevoke()).isTrue();
        assertThat(state.apply(LogEntry.newBuilder().setLeaseRevoke(gone).build()).getError())
                .isEqualTo(EtcdErrors.LEASE_NOT_FOUND.toProto());
    }

    @Test
    void timeToLiveFillsGrantedTtlAndKeysForTheCallerToAddTheRemainingTtl() {
        state.apply(LogEntry.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(4).setTTL(1)).build());
        state.apply(LogEntry.newBuilder().setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                .setLease(4)).build());
        var ttl = state.timeToLive(LeaseTimeToLiveRequest.newBuilder().setID(4).setKeys(true).build());
        assertThat(ttl.getGrantedTTL()).isEqualTo(2);
        assertThat(ttl.getKeysList()).containsExactly(ByteString.copyFromUtf8("k"));
        assertThat(state.timeToLive(LeaseTimeToLiveRequest.newBuilder().setID(5).build()).getTTL()).isEqualTo(-1);
    }
}

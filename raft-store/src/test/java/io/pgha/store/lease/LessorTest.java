package io.pgha.store.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LessorTest {
    private final Lessor lessor = new Lessor(2);

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void grantRaisesTtlToTheMinimumAndRejectsZeroIdsHugeTtlsAndDuplicates() {
        assertThat(lessor.grant(1, 1).ttl()).isEqualTo(2);
        assertThat(lessor.grant(2, 30).ttl()).isEqualTo(30);
        assertThatThrownBy(() -> lessor.grant(0, 30)).isSameAs(EtcdErrors.LEASE_NOT_FOUND);
        assertThatThrownBy(() -> lessor.grant(3, Lessor.MAX_TTL + 1)).isSameAs(EtcdErrors.LEASE_TTL_TOO_LARGE);
        assertThatThrownBy(() -> lessor.grant(1, 30)).isSameAs(EtcdErrors.LEASE_EXISTS);
        assertThat(lessor.ttls()).containsExactly(java.util.Map.entry(1L, 2L), java.util.Map.entry(2L, 30L));
    }

    @Test
    void revokeHandsEveryAttachedKeyInKeyOrderToTheDeleterOnce() {
        lessor.grant(1, 10);
        lessor.attach(1, bs("b"));
        lessor.attach(1, bs("a"));
        lessor.attach(1, bs("c"));
        lessor.detach(1, bs("c"));
        List<List<ByteString>> calls = new ArrayList<>();
        lessor.revoke(1, calls::add);
        assertThat(calls).containsExactly(List.of(bs("a"), bs("b")));
        assertThat(lessor.exists(1)).isFalse();
        assertThatThrownBy(() -> lessor.revoke(1, calls::add)).isSameAs(EtcdErrors.LEASE_NOT_FOUND);
    }

    @Test
    void attachAndDetachOnUnknownLeasesAreIgnored() {
        lessor.attach(9, bs("a"));
        lessor.detach(9, bs("a"));
        assertThat(lessor.leases()).isEmpty();
    }
}

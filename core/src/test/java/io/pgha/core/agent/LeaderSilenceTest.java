package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.LeaderKey;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import io.pgha.core.dcs.SyncState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a replica takes the leader key as expired: a whole ttl after it last saw the key change, never sooner. */
class LeaderSilenceTest {
    private static final Duration TTL = Duration.ofSeconds(5);
    private final LeaderSilence silence = new LeaderSilence("b");
    private final List<Long> leaseLookups = new ArrayList<>();
    private long grantedTtl = 5;

    @Test
    void aKeyUnchangedForAWholeTtlSinceFirstSeenIsSilentAndARenewalRestartsTheCount() {
        assertThat(silent(view("a", 10, 7), 0)).isEmpty();
        assertThat(silent(view("a", 10, 7), seconds(4.9))).isEmpty();
        assertThat(silent(view("a", 11, 7), seconds(4.95))).as("renewed: a new revision").isEmpty();
        assertThat(silent(view("a", 11, 7), seconds(9.9))).isEmpty();
        assertThat(silent(view("a", 11, 7), seconds(9.95))).contains(new LeaderKey("a", 11, 7));
    }

    @Test
    void aHolderWhoseLeaseWasGrantedALongerTtlIsGivenThatLonger() {
        grantedTtl = 10;
        assertThat(silent(view("a", 10, 7), 0)).isEmpty();
        assertThat(silent(view("a", 10, 7), seconds(6))).isEmpty();
        assertThat(silent(view("a", 10, 7), seconds(9.99))).isEmpty();
        assertThat(silent(view("a", 10, 7), seconds(10))).isPresent();
        assertThat(leaseLookups).as("asked once per lease").containsExactly(7L);
    }

    @Test
    void ourOwnKeyAndNoKeyAreNeverSilentAndAHolderSeenAgainIsCountedAfresh() {
        assertThat(silent(view("b", 10, 7), 0)).isEmpty();
        assertThat(silent(view("b", 10, 7), seconds(60))).isEmpty();
        assertThat(silent(ClusterView.empty("t"), seconds(61))).isEmpty();
        assertThat(silent(view("a", 10, 7), seconds(62))).as("first seen now").isEmpty();
        assertThat(silent(view("a", 10, 7), seconds(66))).isEmpty();
        assertThat(silent(view("a", 10, 7), seconds(67))).isPresent();
    }

    @Test
    void aSilentHolderNoLongerRanksAsACandidate() {
        MemberState a = member("a");
        MemberState c = member("c");
        ClusterView view = new ClusterView("t", 10, Optional.empty(), Optional.of(new LeaderKey("a", 10, 7)),
                List.of(a, c), Optional.empty(), Optional.empty(), SyncState.empty(), List.of(), Optional.empty());
        assertThat(view.withoutLeader().leader()).isEmpty();
        assertThat(view.withoutLeader().members()).containsExactly(c);
    }

    @Test
    void aHolderWhoseNodeRefusesConnectionsIsGoneAfterTwoMissedRenewalsNotBefore() {
        ClusterView view = withMember(view("a", 10, 7), member("a"));
        Duration after = Duration.ofSeconds(1);
        assertThat(silence.silent(view, 0, TTL, lease -> 5)).isEmpty();
        assertThat(silence.gone(view, seconds(0.9), after, m -> true)).as("not yet two renewals").isEmpty();
        assertThat(silence.gone(view, seconds(1.0), after, m -> false)).as("its node still answers").isEmpty();
        assertThat(silence.gone(view, seconds(1.0), after, m -> m.name().equals("a")))
                .contains(new LeaderKey("a", 10, 7));
        ClusterView renewed = withMember(view("a", 11, 7), member("a"));
        assertThat(silence.silent(renewed, seconds(1.1), TTL, lease -> 5)).isEmpty();
        assertThat(silence.gone(renewed, seconds(1.2), after, m -> true)).as("a renewal restarts the count").isEmpty();
    }

    @Test
    void withoutTheHoldersMemberRecordOrForOurOwnKeyNothingIsGone() {
        ClusterView bare = view("a", 10, 7);
        assertThat(silence.silent(bare, 0, TTL, lease -> 5)).isEmpty();
        assertThat(silence.gone(bare, seconds(3), Duration.ofSeconds(1), m -> true)).isEmpty();
        ClusterView ours = withMember(view("b", 12, 7), member("b"));
        assertThat(silence.silent(ours, seconds(3), TTL, lease -> 5)).isEmpty();
        assertThat(silence.gone(ours, seconds(9), Duration.ofSeconds(1), m -> true)).isEmpty();
    }

    private static ClusterView withMember(ClusterView v, MemberState m) {
        return new ClusterView(v.cluster(), v.revision(), v.initialize(), v.leader(), List.of(m), v.config(),
                v.failover(), v.sync(), v.history(), v.leaderLsn());
    }

    private static MemberState member(String name) {
        return new MemberState(name, Role.REPLICA, PostgresState.RUNNING, "", "", 0, 1, Lsn.ZERO, Map.of(), false,
                "");
    }

    private Optional<LeaderKey> silent(ClusterView view, long nanos) {
        return silence.silent(view, nanos, TTL, lease -> {
            leaseLookups.add(lease);
            return grantedTtl;
        });
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static ClusterView view(String leader, long modRevision, long lease) {
        return new ClusterView("t", modRevision, Optional.empty(), Optional.of(new LeaderKey(leader, modRevision,
                lease)), List.of(), Optional.empty(), Optional.empty(), SyncState.empty(), List.of(),
                Optional.empty());
    }
}

package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.config.Secret;
import io.pgha.store.StoreCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Joining the store: the token gate, and what is asked of the store cluster. */
class AgentJoinServiceTest {
    private final RecordingCluster cluster = new RecordingCluster();
    private final JoinService join = new JoinService(cluster,
            Optional.of(Secret.fromFile(Path.of("/etc/pgha/cluster.token"), "s3cret")));

    @Test
    void theRightTokenAddsTheNodeAsAVoterThroughALearner() {
        JoinService.Result r = join.join("node2", "127.0.0.12:2380", "http://127.0.0.12:2379", "s3cret");
        assertThat(r.status()).isEqualTo(200);
        assertThat(cluster.added).containsExactly(
                "node2 http://127.0.0.12:2380 [http://127.0.0.12:2379] learner=true", "promote node2");
        assertThat(join.members()).containsExactly("node1", "node2");
    }

    @Test
    void aLearnerLeftByAnEarlierJoinIsOnlyPromoted() {
        cluster.learners.add("node2");
        assertThat(join.join("node2", "127.0.0.12:2380", "", "s3cret").status()).isEqualTo(200);
        assertThat(cluster.added).containsExactly("promote node2");
    }

    @Test
    void aWrongTokenIsRefusedAndChangesNothing() {
        JoinService.Result r = join.join("node2", "127.0.0.12:2380", "http://127.0.0.12:2379", "guess");
        assertThat(r).isEqualTo(new JoinService.Result(403, "wrong cluster token"));
        assertThat(cluster.added).isEmpty();
    }

    @Test
    void aMissingTokenIsRefusedAndChangesNothing() {
        assertThat(join.join("node2", "127.0.0.12:2380", "", null).status()).isEqualTo(403);
        assertThat(cluster.added).isEmpty();
    }

    @Test
    void aClusterWithoutATokenAcceptsNoJoin() {
        JoinService open = new JoinService(cluster, Optional.empty());
        assertThat(open.join("node2", "127.0.0.12:2380", "", "").status()).isEqualTo(403);
        assertThat(cluster.added).isEmpty();
    }

    @Test
    void joiningAgainAsAnExistingMemberChangesNothing() {
        assertThat(join.join("node1", "127.0.0.11:2380", "", "s3cret").status()).isEqualTo(200);
        assertThat(cluster.added).isEmpty();
    }

    @Test
    void aStoreTimeoutAsksTheJoinerToRetry() {
        cluster.failWith = new io.pgha.store.StoreException(14, "etcdserver: request timed out");
        assertThat(join.join("node2", "127.0.0.12:2380", "", "s3cret").status()).isEqualTo(503);
    }

    @Test
    void aChangeThatLandedButAnsweredWithAFailureIsASuccessfulJoin() {
        cluster.failWith = new io.pgha.store.StoreException(9, "Failed to set configuration: current configuration"
                + " is different than the request");
        cluster.landsAnyway = true;
        JoinService.Result r = join.join("node2", "127.0.0.12:2380", "", "s3cret");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.message()).startsWith("node2 is a member");
        cluster.landsAnyway = false;
        assertThat(join.join("node3", "127.0.0.13:2380", "", "s3cret").status()).isEqualTo(409);
    }

    /** A store cluster that records membership changes. */
    private static final class RecordingCluster implements StoreCluster {
        final List<String> added = new ArrayList<>();
        final List<String> names = new ArrayList<>(List.of("node1"));
        final List<String> learners = new ArrayList<>();
        RuntimeException failWith;
        /** The failed change is in the configuration anyway (its answer was lost and a retry saw it done). */
        boolean landsAnyway;

        @Override
        public long clusterId() {
            return 1;
        }

        @Override
        public long memberId() {
            return 1;
        }

        @Override
        public long raftTerm() {
            return 1;
        }

        @Override
        public List<StoreMember> members() {
            return java.util.stream.Stream.concat(names.stream(), learners.stream())
                    .map(n -> new StoreMember(n.hashCode(), n, List.of(), List.of(), learners.contains(n))).toList();
        }

        @Override
        public StoreStatus status() {
            return new StoreStatus(1, 1, 1, 1, 0, false, List.of());
        }

        @Override
        public CompletableFuture<List<StoreMember>> addMember(String name, String peerUrl, List<String> clientUrls,
                boolean learner) {
            if (failWith != null) {
                if (landsAnyway) {
                    names.add(name);
                }
                return CompletableFuture.failedFuture(failWith);
            }
            added.add(name + " " + peerUrl + " " + clientUrls + " learner=" + learner);
            (learner ? learners : names).add(name);
            return CompletableFuture.completedFuture(members());
        }

        @Override
        public CompletableFuture<List<StoreMember>> removeMember(long memberId) {
            throw new AssertionError("a join never removes a member");
        }

        @Override
        public CompletableFuture<List<StoreMember>> promoteMember(long memberId) {
            String name = learners.stream().filter(n -> n.hashCode() == memberId).findFirst()
                    .orElseThrow(() -> new AssertionError("only a learner is promoted"));
            added.add("promote " + name);
            learners.remove(name);
            names.add(name);
            return CompletableFuture.completedFuture(members());
        }

        @Override
        public CompletableFuture<Void> moveLeader(long targetMemberId) {
            throw new AssertionError("a join never moves the leader");
        }
    }
}

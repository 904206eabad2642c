package io.pgha.store.raft;

import static io.pgha.store.raft.RaftFailoverTest.assertAllPresent;
import static io.pgha.store.raft.RaftFailoverTest.localKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreCluster.StoreMember;
import io.pgha.store.StoreCluster.StoreStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.util.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Growing and shrinking the cluster while writes continue; IDs and status as the etcd Cluster API shows them. */
class RaftMembershipTest {
    @TempDir
    Path dir;
    private RaftTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void growsOneToThreeThroughLearnersThenShrinksWhileWritesContinue() throws Exception {
        cluster = RaftTestCluster.start(dir, 1, RaftStates.factory(), RaftStoreConfig.LogLimits.DEFAULT);
        RatisKvStore m1 = cluster.awaitLeader();
        RatisStoreCluster admin = new RatisStoreCluster(m1);
        admin.publishClientUrls(List.of("http://127.0.0.1:2379")).get(5, TimeUnit.SECONDS);
        try (WriteStream writes = new WriteStream(() -> m1)) {
            writes.awaitMoreAcks(20);
            RatisKvStore m2 = cluster.startJoining("m2");
            List<StoreMember> two = admin.addMember("m2", "http://" + cluster.address("m2"),
                    List.of("http://127.0.0.1:2380"), false).get(30, TimeUnit.SECONDS);
            assertThat(two).extracting(StoreMember::name).containsExactly("m1", "m2");
            assertThat(two).noneMatch(StoreMember::learner);
            writes.awaitMoreAcks(20);
            awaitCaughtUp(m2, writes);

            RatisKvStore m3 = cluster.startJoining("m3");
            List<StoreMember> learner = admin.addMember("m3", cluster.address("m3"), List.of(), true)
                    .get(30, TimeUnit.SECONDS);
            assertThat(learner).filteredOn(StoreMember::learner).extracting(StoreMember::name).containsExactly("m3");
            List<StoreMember> three = admin.promoteMember(StoreIds.memberId("m3")).get(30, TimeUnit.SECONDS);
            assertThat(three).extracting(StoreMember::name).containsExactly("m1", "m2", "m3");
            assertThat(three).noneMatch(StoreMember::learner);
            writes.awaitMoreAcks(20);
            awaitCaughtUp(m3, writes);
            assertAllPresent(m2, writes.acked());
            assertAllPresent(m3, writes.acked());

            List<StoreMember> shrunk = admin.removeMember(StoreIds.memberId("m2")).get(30, TimeUnit.SECONDS);
            assertThat(shrunk).extracting(StoreMember::name).containsExactly("m1", "m3");
            writes.awaitMoreAcks(20);
            writes.close();
            assertAllPresent(m3, writes.acked());
            assertThat(shrunk).filteredOn(m -> m.name().equals("m1")).singleElement()
                    .satisfies(m -> assertThat(m.clientUrls()).containsExactly("http://127.0.0.1:2379"));
            assertThat(new RatisStoreCluster(m3).clusterId()).isEqualTo(admin.clusterId());
        }
    }

    @Test
    void membersGrownThroughLearnersVoteSoTheClusterSurvivesLosingItsLeader() throws Exception {
        cluster = RaftTestCluster.start(dir, 1, RaftStates.factory(), RaftStoreConfig.LogLimits.DEFAULT);
        RatisKvStore m1 = cluster.awaitLeader();
        RatisStoreCluster admin = new RatisStoreCluster(m1);
        RatisKvStore m2 = cluster.startJoining("m2");
        RatisKvStore m3 = cluster.startJoining("m3");
        List<RatisKvStore> survivors = List.of(m2, m3);
        try (WriteStream writes = new WriteStream(() -> cluster.get("m1") != null ? m1 : survivors.get(0))) {
            writes.awaitMoreAcks(20);
            for (RatisKvStore joining : survivors) {
                String name = cluster.nameOf(joining);
                List<StoreMember> learner = admin.addMember(name, "http://" + cluster.address(name), List.of(),
                        true).get(60, TimeUnit.SECONDS);
                assertThat(learner).filteredOn(StoreMember::learner).extracting(StoreMember::name)
                        .containsExactly(name);
                assertThat(joining.node().division().getInfo().getLifeCycleState()).isEqualTo(LifeCycle.State.RUNNING);
                writes.awaitMoreAcks(20);
                List<StoreMember> promoted = admin.addVoterThroughLearner(name, "http://" + cluster.address(name),
                        List.of(), Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS);
                assertThat(promoted).filteredOn(m -> m.name().equals(name)).singleElement()
                        .satisfies(m -> assertThat(m.learner()).isFalse());
                writes.awaitMoreAcks(20);
            }
            awaitCaughtUp(m3, writes);
            List<String> beforeLoss = writes.acked();
            cluster.stop("m1");
            RatisKvStore leader = Await.value(RaftTestCluster.WAIT, "a leader among m2 and m3",
                    () -> survivors.stream().filter(s -> s.node().isLeader()).findFirst().orElse(null));
            writes.awaitMoreAcks(20);
            writes.close();
            assertAllPresent(leader, beforeLoss);
            assertAllPresent(leader, writes.acked());
        }
    }

    @Test
    void twoNodesJoiningAtOnceBothBecomeVoters() throws Exception {
        cluster = RaftTestCluster.start(dir, 1, RaftStates.factory(), RaftStoreConfig.LogLimits.DEFAULT);
        RatisKvStore m1 = cluster.awaitLeader();
        RatisStoreCluster admin = new RatisStoreCluster(m1);
        try (WriteStream writes = new WriteStream(() -> m1)) {
            writes.awaitMoreAcks(20);
            List<CompletableFuture<List<StoreMember>>> joins = new ArrayList<>();
            for (String name : List.of("m2", "m3")) {
                cluster.startJoining(name);
                joins.add(admin.addVoterThroughLearner(name, "http://" + cluster.address(name), List.of(),
                        Duration.ofSeconds(60)));
            }
            for (CompletableFuture<List<StoreMember>> join : joins) {
                join.get(90, TimeUnit.SECONDS);
            }
            assertThat(admin.members()).extracting(StoreMember::name).containsExactly("m1", "m2", "m3");
            assertThat(admin.members()).noneMatch(StoreMember::learner);
            writes.awaitMoreAcks(20);
            awaitCaughtUp(cluster.get("m2"), writes);
            awaitCaughtUp(cluster.get("m3"), writes);
        }
        // Both count: with m1 gone, m2 and m3 are a majority of three.
        cluster.stop("m1");
        RatisKvStore leader = Await.value(RaftTestCluster.WAIT, "a leader among m2 and m3",
                () -> cluster.running().stream().filter(s -> s.node().isLeader()).findFirst().orElse(null));
        RaftFailoverTest.putAll(leader, 0, 5);
    }

    @Test
    void statusAndMembershipErrorsFollowEtcd() throws Exception {
        cluster = RaftTestCluster.start(dir, 3, RaftStates.factory(), RaftStoreConfig.LogLimits.DEFAULT);
        RatisKvStore leader = cluster.awaitLeader();
        RatisKvStore follower = cluster.running().stream().filter(s -> s != leader).findFirst().orElseThrow();
        RaftFailoverTest.putAll(leader, 0, 5);
        RatisStoreCluster admin = new RatisStoreCluster(follower);

        StoreStatus status = Await.value(RaftTestCluster.WAIT, "follower applied the writes", () -> {
            StoreStatus s = admin.status();
            return s.raftAppliedIndex() >= leader.node().division().getInfo().getLastAppliedIndex() ? s : null;
        });
        assertThat(status.leaderId()).isEqualTo(StoreIds.memberId(cluster.nameOf(leader)));
        assertThat(status.raftTerm()).isPositive();
        assertThat(status.raftIndex()).isGreaterThanOrEqualTo(status.raftAppliedIndex()).isPositive();
        assertThat(status.dbSize()).isPositive();
        assertThat(status.errors()).isEmpty();
        assertThat(admin.members()).extracting(StoreMember::id).doesNotHaveDuplicates().doesNotContain(0L);
        assertThat(admin.memberId()).isEqualTo(StoreIds.memberId(cluster.nameOf(follower)));
        assertThatThrownBy(() -> admin.removeMember(42).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCause(EtcdErrors.MEMBER_NOT_FOUND);
        assertThatThrownBy(() -> admin.promoteMember(admin.memberId()).get(5, TimeUnit.SECONDS))
                .cause().hasMessage("etcdserver: can only promote a learner member");
        assertThatThrownBy(() -> admin.addMember("m1", "http://127.0.0.1:1", List.of(), false)
                .get(5, TimeUnit.SECONDS)).cause().hasMessage("etcdserver: member ID already exist");
    }

    private static void awaitCaughtUp(RatisKvStore member, WriteStream writes) {
        List<String> acked = writes.acked();
        Await.until(RaftTestCluster.WAIT, member.node().peerId() + " caught up",
                () -> localKeys(member).containsAll(acked));
    }
}

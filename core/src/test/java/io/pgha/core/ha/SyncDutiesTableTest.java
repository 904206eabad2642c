package io.pgha.core.ha;

import static io.pgha.core.ha.ClusterViews.primary;
import static io.pgha.core.ha.ClusterViews.replica;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.ha.HaSettings.SynchronousMode;
import io.pgha.core.ha.SyncStep.PublishSync;
import io.pgha.core.ha.SyncStep.SetStandbyNames;
import io.pgha.core.ha.SyncStep.Settled;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The primary's synchronous replication duties as named rows of (snapshot, Postgres report) -> step. */
class SyncDutiesTableTest {
    private static final Map<String, String> NOSYNC = Map.of("nosync", "true");

    record Row(String name, SyncWorld world, SyncStep expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, SyncWorld world, SyncStep expected) {
        return new Row(name, world, expected);
    }

    private static ClusterViews abc() {
        return ClusterViews.ledBy("a").withMember(primary("a", 300)).withMember(replica("b", 300))
                .withMember(replica("c", 300));
    }

    private static PublishSync key(String... standbys) {
        return new PublishSync(Set.of(standbys));
    }

    private static SetStandbyNames names(String... standbys) {
        return new SetStandbyNames(List.of(standbys));
    }

    static Stream<Row> addingAStandby() {
        return Stream.of(
                row("on: a streaming replica is put in synchronous_standby_names first",
                        SyncWorld.of(abc().withSync("a")).async("b", 300), names("b")),
                row("on: listed and reported sync but not yet past the barrier: the key waits",
                        SyncWorld.of(abc().withSync("a")).names("b").sync("b", 250).barrier(300),
                        new Settled("waiting for b to become synchronous")),
                row("on: synchronous past the barrier: then it is published in the key",
                        SyncWorld.of(abc().withSync("a")).names("b").sync("b", 300).barrier(300), key("b")),
                row("on: settled with b synchronous and in the key",
                        SyncWorld.of(abc().withSync("a", "b")).names("b").sync("b", 300),
                        new Settled("synchronous standbys b")),
                row("a listed sync standby stays although another is further ahead",
                        SyncWorld.of(abc().withSync("a", "b")).names("b").sync("b", 100).async("c", 300),
                        new Settled("synchronous standbys b")),
                row("synchronous_node_count 2 asks for the two most advanced",
                        SyncWorld.of(abc().withMember(replica("d", 300)).withSync("a")).async("b", 100)
                                .async("c", 300).async("d", 200).mode(SynchronousMode.ON, 2),
                        names("c", "d")),
                row("a replica tagged nosync is never chosen",
                        SyncWorld.of(ClusterViews.ledBy("a").withMember(primary("a", 300))
                                .withMember(replica("b", 300, NOSYNC)).withSync("a")).async("b", 300),
                        new Settled("synchronous mode: no standby available; replicating asynchronously")),
                row("a replica still catching up is not chosen",
                        SyncWorld.of(abc().withSync("a")).row("b", "catchup", "async", 100),
                        new Settled("synchronous mode: no standby available; replicating asynchronously")),
                row("a sync key written by the former primary is taken over empty first",
                        SyncWorld.of(abc().withSync("x", "a")).async("b", 300), key()));
    }

    static Stream<Row> removingAStandby() {
        return Stream.of(
                row("on: the sync standby disconnected: it leaves the key first",
                        SyncWorld.of(abc().withSync("a", "b")).names("b"), key()),
                row("on: then synchronous_standby_names falls back to asynchronous",
                        SyncWorld.of(abc().withSync("a")).names("b"), names()),
                row("on: replaced by another standby: the old one leaves the key first",
                        SyncWorld.of(abc().withSync("a", "b")).names("b").async("c", 300), key()),
                row("on: then the new one is listed",
                        SyncWorld.of(abc().withSync("a")).names("b").async("c", 300), names("c")),
                row("a sync standby tagged nosync leaves the key first",
                        SyncWorld.of(ClusterViews.ledBy("a").withMember(primary("a", 300))
                                .withMember(replica("b", 300, NOSYNC)).withMember(replica("c", 300))
                                .withSync("a", "b")).names("b").sync("b", 300).async("c", 300), key()),
                row("off: a leftover key is cleared first",
                        SyncWorld.of(abc().withSync("a", "b")).names("b").sync("b", 300)
                                .mode(SynchronousMode.OFF, 1), key()),
                row("off: then the setting is emptied",
                        SyncWorld.of(abc().withSync("a")).names("b").sync("b", 300).mode(SynchronousMode.OFF, 1),
                        names()),
                row("off: nothing to do",
                        SyncWorld.of(abc()).async("b", 300).mode(SynchronousMode.OFF, 1),
                        new Settled("asynchronous replication")));
    }

    static Stream<Row> strict() {
        return Stream.of(
                row("strict: the last sync standby disconnected stays in the key and the setting; writes wait",
                        SyncWorld.of(abc().withSync("a", "b")).names("b").mode(SynchronousMode.STRICT, 1),
                        new Settled("strict synchronous mode: no standby available; writes wait")),
                row("strict: without any standby the setting is '*', never empty",
                        SyncWorld.of(abc().withSync("a")).mode(SynchronousMode.STRICT, 1), names("*")),
                row("strict: a replacement appears: the old standby leaves the key first",
                        SyncWorld.of(abc().withSync("a", "b")).names("b").async("c", 300)
                                .mode(SynchronousMode.STRICT, 1), key()),
                row("strict: then the replacement is listed",
                        SyncWorld.of(abc().withSync("a")).names("b").async("c", 300).mode(SynchronousMode.STRICT, 1),
                        names("c")),
                row("strict: a standby made synchronous by '*' is still named and confirmed before the key",
                        SyncWorld.of(abc().withSync("a")).names("*").sync("b", 300).mode(SynchronousMode.STRICT, 1),
                        names("b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addingAStandby")
    void addingAStandbySetsPostgresFirstAndTheKeyLast(Row row) {
        assertThat(row.world().plan("a")).as(row.name()).isEqualTo(row.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("removingAStandby")
    void removingAStandbyShrinksTheKeyFirst(Row row) {
        assertThat(row.world().plan("a")).as(row.name()).isEqualTo(row.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strict")
    void strictModeNeverFallsBackToAsynchronous(Row row) {
        assertThat(row.world().plan("a")).as(row.name()).isEqualTo(row.expected());
    }

    @Test
    void standbyNamesRenderAndParseEveryFormPostgresAccepts() {
        assertThat(SyncStandbyNames.render(List.of("b", "c"))).isEqualTo("FIRST 2 (\"b\", \"c\")");
        assertThat(SyncStandbyNames.render(List.of())).isEmpty();
        assertThat(SyncStandbyNames.render(List.of("*"))).isEqualTo("*");
        assertThat(SyncStandbyNames.parse("FIRST 2 (\"b\", \"c\")")).containsExactly("b", "c");
        assertThat(SyncStandbyNames.parse("ANY 1 (b, \"we,ird\")")).containsExactly("b", "we,ird");
        assertThat(SyncStandbyNames.parse("b, c")).containsExactly("b", "c");
        assertThat(SyncStandbyNames.parse("")).isEmpty();
        assertThat(SyncStandbyNames.parse(SyncStandbyNames.render(List.of("q\"x")))).containsExactly("q\"x");
    }
}

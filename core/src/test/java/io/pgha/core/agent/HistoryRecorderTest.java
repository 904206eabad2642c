package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.Dcs;
import io.pgha.core.dcs.HistoryEntry;
import io.pgha.core.dcs.LeaderKey;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.dcs.SyncState;
import io.pgha.core.ha.LocalView;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history key after a promotion: copied from Postgres' timeline history file, once per timeline. */
class HistoryRecorderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T07:00:00Z"), ZoneOffset.UTC);
    private final List<List<HistoryEntry>> written = new ArrayList<>();
    private final Dcs dcs = (Dcs) Proxy.newProxyInstance(Dcs.class.getClassLoader(), new Class<?>[] {Dcs.class},
            (proxy, method, args) -> {
                if (method.getName().equals("publishHistory")) {
                    @SuppressWarnings("unchecked")
                    List<HistoryEntry> h = (List<HistoryEntry>) args[0];
                    written.add(h);
                    return null;
                }
                throw new AssertionError("unexpected store call " + method.getName());
            });

    @TempDir
    Path pgData;

    @Test
    void theNewLeaderRecordsItsSwitchOnceAndKeepsOlderEntries() throws Exception {
        Files.createDirectories(pgData.resolve("pg_wal"));
        Files.writeString(pgData.resolve("pg_wal/00000003.history"),
                "1\t0/3000148\tno recovery target specified\n2\t0/5000000\tno recovery target specified\n");
        HistoryEntry old = new HistoryEntry(1, Lsn.parse("0/3000148"), "no recovery target specified",
                "2026-11-21T00:00:00Z", "b");
        HistoryRecorder recorder = new HistoryRecorder(dcs, pgData, "c", CLOCK);

        assertThat(recorder.recordIfDue(view("c", List.of(old)), primary("c", 3))).isPresent();
        assertThat(written).containsExactly(List.of(old, new HistoryEntry(2, Lsn.parse("0/5000000"),
                "no recovery target specified", "2026-11-22T07:00:00Z", "c")));
        assertThat(recorder.recordIfDue(view("c", List.of(old)), primary("c", 3))).isEmpty();
        assertThat(written).hasSize(1);
    }

    @Test
    void thePromotionsReasonReplacesTheFilesOnlyForTheSwitchThisLeaderMade() throws Exception {
        Files.createDirectories(pgData.resolve("pg_wal"));
        Files.writeString(pgData.resolve("pg_wal/00000003.history"),
                "1\t0/3000148\tno recovery target specified\n2\t0/5000000\tno recovery target specified\n");
        HistoryRecorder recorder = new HistoryRecorder(dcs, pgData, "c", CLOCK);
        recorder.promoting("switchover from b");

        assertThat(recorder.recordIfDue(view("c", List.of()), primary("c", 3))).isPresent();
        assertThat(written.get(0)).extracting(HistoryEntry::reason)
                .containsExactly("no recovery target specified", "switchover from b");
    }

    @Test
    void nothingIsWrittenWithoutTheKeyOnTheFirstTimelineOrWhenTheKeyAlreadyCoversIt() {
        HistoryRecorder recorder = new HistoryRecorder(dcs, pgData, "c", CLOCK);
        HistoryEntry known = new HistoryEntry(1, Lsn.ZERO, "", "", "c");
        assertThat(recorder.recordIfDue(view("b", List.of()), primary("c", 2))).isEmpty();
        assertThat(recorder.recordIfDue(view("c", List.of()), primary("c", 1))).isEmpty();
        assertThat(recorder.recordIfDue(view("c", List.of(known)), primary("c", 2))).isEmpty();
        assertThat(written).isEmpty();
    }

    private static ClusterView view(String leader, List<HistoryEntry> history) {
        MemberState m = new MemberState(leader, Role.PRIMARY, PostgresState.RUNNING, "", "", 0, 1, Lsn.ZERO,
                Map.of(), false, "");
        return new ClusterView("t", 1, Optional.empty(), Optional.of(new LeaderKey(leader, 1, 1)), List.of(m),
                Optional.empty(), Optional.empty(), SyncState.empty(), history, Optional.empty());
    }

    private static LocalView primary(String name, long timeline) {
        return new LocalView(name, true, PostgresState.RUNNING, Role.PRIMARY, timeline, Lsn.ZERO, Optional.empty(),
                Optional.empty(), Optional.empty(), LocalView.RejoinState.NONE, Optional.empty(), Map.of());
    }
}

package io.pgha.core.agent;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.Dcs;
import io.pgha.core.dcs.HistoryEntry;
import io.pgha.core.ha.LocalView;
import io.pgha.core.postgres.TimelineHistory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the {@code history} key in step with the primary's timeline, as Patroni does: once the leader runs on a
 * timeline whose switch the key does not list yet (it was just promoted), it copies the switches from Postgres'
 * timeline history file, keeping the entries already recorded and stamping the new ones with the time and its own
 * name. Used by the loop thread only.
 */
final class HistoryRecorder {
    private final Dcs dcs;
    private final Path pgData;
    private final String name;
    private final Clock clock;
    private long recordedTimeline;

    HistoryRecorder(Dcs dcs, Path pgData, String name, Clock clock) {
        this.dcs = dcs;
        this.pgData = pgData;
        this.name = name;
        this.clock = clock;
    }

    /** Records the switches if this node leads on a timeline the key does not cover; returns what was written. */
    Optional<List<HistoryEntry>> recordIfDue(ClusterView view, LocalView local) {
        long timeline = local.timeline();
        if (!local.isRunningPrimary() || !view.isLeader(name) || timeline <= 1 || timeline == recordedTimeline) {
            return Optional.empty();
        }
        if (view.history().stream().anyMatch(e -> e.timeline() == timeline - 1)) {
            recordedTimeline = timeline;
            return Optional.empty();
        }
        List<TimelineHistory.Switch> switches = TimelineHistory.read(pgData, timeline);
        List<HistoryEntry> entries = new ArrayList<>();
        String now = clock.instant().toString();
        for (TimelineHistory.Switch s : switches) {
            Optional<HistoryEntry> known = view.history().stream().filter(e -> e.timeline() == s.timeline())
                    .findFirst();
            boolean ours = s.timeline() == timeline - 1;
            entries.add(known.orElse(new HistoryEntry(s.timeline(), s.switchLsn(), s.reason(), now,
                    ours ? name : "")));
        }
        dcs.publishHistory(entries);
        recordedTimeline = timeline;
        return Optional.of(entries);
    }
}

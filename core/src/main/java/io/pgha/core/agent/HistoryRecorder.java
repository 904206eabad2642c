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
 * name. It is the key's only writer: the reason a promotion was made (switchover, manual or automatic failover)
 * reaches it through {@link #promoting} before the timeline changes, so no second writer can race it.
 * Used by the loop thread only.
 */
final class HistoryRecorder {
    private final Dcs dcs;
    private final Path pgData;
    private final String name;
    private final Clock clock;
    private long recordedTimeline;
    private Optional<String> promotionReason = Optional.empty();

    HistoryRecorder(Dcs dcs, Path pgData, String name, Clock clock) {
        this.dcs = dcs;
        this.pgData = pgData;
        this.name = name;
        this.clock = clock;
    }

    /** The reason the promotion about to run is made; recorded with the switch it leads to. */
    void promoting(String reason) {
        promotionReason = Optional.of(reason);
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
            String reason = ours ? promotionReason.orElse(s.reason()) : s.reason();
            entries.add(known.orElse(new HistoryEntry(s.timeline(), s.switchLsn(), reason, now, ours ? name : "")));
        }
        dcs.publishHistory(entries);
        recordedTimeline = timeline;
        promotionReason = Optional.empty();
        return Optional.of(entries);
    }
}

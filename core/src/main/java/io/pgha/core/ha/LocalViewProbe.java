package io.pgha.core.ha;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresException;
import io.pgha.core.postgres.PostgresProcess;
import io.pgha.core.postgres.PostgresQueries;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Builds this cycle's {@link LocalView} from the Postgres ports plus what the agent remembers. The only I/O of the
 * cycle's "observe" step; a Postgres that does not answer is reported as STARTING (running but not answering), so
 * the decision waits instead of acting on a guess.
 */
public final class LocalViewProbe {
    private final String name;
    private final PostgresProcess process;
    private final PostgresQueries queries;
    private final Map<String, String> tags;

    public LocalViewProbe(String name, PostgresProcess process, PostgresQueries queries, Map<String, String> tags) {
        this.name = name;
        this.process = process;
        this.queries = queries;
        this.tags = Map.copyOf(tags);
    }

    /** What the agent knows that Postgres and the store do not tell it. */
    public record Memory(Optional<Instant> lastRenewSent, Optional<String> following, LocalView.RejoinState rejoin,
                         Optional<String> jobInProgress, Optional<String> systemId) {
        public static Memory initial() {
            return new Memory(Optional.empty(), Optional.empty(), LocalView.RejoinState.NONE, Optional.empty(),
                    Optional.empty());
        }
    }

    public LocalView observe(Memory memory) {
        boolean data = process.dataDirPresent();
        PostgresState state = process.state();
        if (state != PostgresState.RUNNING) {
            return view(data, state, Role.UNKNOWN, 0, Lsn.ZERO, memory.systemId(), memory);
        }
        try {
            boolean recovery = queries.isInRecovery();
            Lsn lsn = recovery
                    ? queries.receivedLsn().or(queries::replayedLsn).orElse(Lsn.ZERO)
                    : queries.currentLsn().orElse(Lsn.ZERO);
            return view(data, state, recovery ? Role.REPLICA : Role.PRIMARY, queries.timeline(), lsn,
                    Optional.of(queries.systemIdentifier()), memory);
        } catch (PostgresException e) {
            return view(data, PostgresState.STARTING, Role.UNKNOWN, 0, Lsn.ZERO, memory.systemId(), memory);
        }
    }

    private LocalView view(boolean data, PostgresState state, Role role, long timeline, Lsn lsn,
                           Optional<String> systemId, Memory m) {
        return new LocalView(name, data, state, role, timeline, lsn, systemId, m.lastRenewSent(), m.following(),
                m.rejoin(), m.jobInProgress(), tags);
    }
}

package io.pgha.core.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalViewProbeTest {
    private final FakePostgres pg = new FakePostgres();
    private final LocalViewProbe probe = new LocalViewProbe("a", pg, pg, Map.of("nofailover", "true"));

    @Test
    void aRunningReplicaReportsItsReceivedPositionTimelineAndSystemId() {
        pg.state = PostgresState.RUNNING;
        pg.inRecovery = true;
        pg.lsn = new Lsn(777);
        pg.timeline = 3;
        LocalView v = probe.observe(LocalViewProbe.Memory.initial());
        assertThat(v.role()).isEqualTo(Role.REPLICA);
        assertThat(v.lsn()).isEqualTo(new Lsn(777));
        assertThat(v.timeline()).isEqualTo(3);
        assertThat(v.systemId()).contains("7300");
        assertThat(v.tags()).containsEntry("nofailover", "true");
    }

    @Test
    void aPrimaryReportsItsWritePosition() {
        pg.state = PostgresState.RUNNING;
        pg.lsn = new Lsn(900);
        LocalView v = probe.observe(LocalViewProbe.Memory.initial());
        assertThat(v.isRunningPrimary()).isTrue();
        assertThat(v.lsn()).isEqualTo(new Lsn(900));
    }

    @Test
    void aServerThatDoesNotAnswerIsStartingSoTheDecisionWaits() {
        pg.state = PostgresState.RUNNING;
        pg.answering = false;
        LocalView v = probe.observe(LocalViewProbe.Memory.initial());
        assertThat(v.state()).isEqualTo(PostgresState.STARTING);
        assertThat(HaDecider.decide(ClusterViews.ledBy("b").build(), v, HaSettings.defaults(), LocalViews.NOW)
                .action()).isInstanceOf(Action.Noop.class);
    }

    @Test
    void aStoppedServerIsNotAskedAnything() {
        pg.answering = false;
        LocalView v = probe.observe(LocalViewProbe.Memory.initial());
        assertThat(v.state()).isEqualTo(PostgresState.STOPPED);
        assertThat(v.role()).isEqualTo(Role.UNKNOWN);
    }
}

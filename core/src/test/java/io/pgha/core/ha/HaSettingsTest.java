package io.pgha.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HaSettingsTest {
    private static final HaSettings.SyncPolicy OFF = HaSettings.SyncPolicy.OFF;

    @Test
    void patronisDefaultsDemoteFiveSecondsBeforeTheLeaseCanExpire() {
        assertThat(HaSettings.defaults().demoteAfter()).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void timingsThatWouldLetTheLeaseOutliveTheLeaderAreRejected() {
        assertThatThrownBy(() -> new HaSettings(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(-1), 0, OFF, true, true)).hasMessageContaining("ha.safety_margin");
        assertThatThrownBy(() -> new HaSettings(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 0, OFF, true, true)).hasMessageContaining("ha.safety_margin");
        assertThatThrownBy(() -> new HaSettings(Duration.ofSeconds(30), Duration.ofSeconds(25),
                Duration.ofSeconds(5), 0, OFF, true, true)).hasMessageContaining("ha.loop_wait");
        assertThatThrownBy(() -> new HaSettings(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(5), -1, OFF, true, true)).hasMessageContaining("maximum_lag_on_failover");
    }
}

package io.pgha.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineHistoryTest {

    @Test
    void parsesEverySwitchOldestFirstAndSkipsCommentsAndBlankLines() {
        String text = "1\t0/3000148\tno recovery target specified\n\n# comment\n2\t0/5000000\tat restore point \"x\"\n";
        assertThat(TimelineHistory.parse(text)).containsExactly(
                new TimelineHistory.Switch(1, Lsn.parse("0/3000148"), "no recovery target specified"),
                new TimelineHistory.Switch(2, Lsn.parse("0/5000000"), "at restore point \"x\""));
    }

    @Test
    void aLineWithoutItsSwitchPositionIsRefusedWithTheLine() {
        assertThatThrownBy(() -> TimelineHistory.parse("1\n")).isInstanceOf(PostgresException.class)
                .hasMessage("malformed timeline history line: 1");
    }

    @Test
    void namesTheFileAsPostgresDoes() {
        assertThat(TimelineHistory.fileName(2)).isEqualTo("00000002.history");
        assertThat(TimelineHistory.fileName(26)).isEqualTo("0000001A.history");
        assertThat(TimelineHistory.read(java.nio.file.Path.of("/nonexistent"), 1)).isEqualTo(List.of());
    }
}

package io.pgha.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloneProgressTest {
    @Test
    void parsesPgBasebackupProgressLines() {
        assertThat(CloneProgress.parse("22312/32123 kB (69%), 0/1 tablespace"))
                .contains(new CloneProgress(22312, 32123, 69));
        assertThat(CloneProgress.parse("    0/30612 kB (0%), 0/1 tablespace (...a/base/1/2608)"))
                .contains(new CloneProgress(0, 30612, 0));
        assertThat(CloneProgress.parse("pg_basebackup: base backup completed")).isEqualTo(Optional.empty());
    }
}

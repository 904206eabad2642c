package io.pgha.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LsnTest {
    @Test
    void parsesAndPrintsPostgresTextForm() {
        assertThat(Lsn.parse("0/3000060").value()).isEqualTo(0x3000060L);
        assertThat(Lsn.parse("16/B374D848")).hasToString("16/B374D848");
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").compareTo(Lsn.ZERO)).isPositive();
        assertThatThrownBy(() -> Lsn.parse("3000060")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lagIsNeverNegative() {
        assertThat(new Lsn(100).bytesBehind(new Lsn(250))).isEqualTo(150);
        assertThat(new Lsn(250).bytesBehind(new Lsn(100))).isZero();
    }

    @Property
    void textRoundTrips(@ForAll long value) {
        Lsn lsn = new Lsn(value);
        assertThat(Lsn.parse(lsn.toString())).isEqualTo(lsn);
    }
}

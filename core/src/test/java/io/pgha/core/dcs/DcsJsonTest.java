package io.pgha.core.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The member record carries clone progress as its state text (as Patroni's "creating replica") and pending restart. */
class DcsJsonTest {
    @Test
    void anActivityIsPublishedAsTheStateAndReadBackAsNotRunning() {
        MemberState cloning = new MemberState("n2", Role.UNKNOWN, PostgresState.STOPPED, "http://n2:8008", "n2", 5442,
                0, Lsn.ZERO, Map.of(), false, "creating replica (45%)");
        String json = DcsJson.member(cloning);
        assertThat(json).contains("\"state\":\"creating replica (45%)\"").doesNotContain("pending_restart");
        MemberState back = DcsJson.member("n2", json).orElseThrow();
        assertThat(back.activity()).isEqualTo("creating replica (45%)");
        assertThat(back.state()).isEqualTo(PostgresState.STOPPED);
        assertThat(back.isRunning()).isFalse();
    }

    @Test
    void aRunningMemberHasNoActivityAndKeepsItsPendingRestart() {
        MemberState running = new MemberState("n1", Role.PRIMARY, PostgresState.RUNNING, "", "n1", 5442, 1,
                new Lsn(10), Map.of(), true, "");
        MemberState back = DcsJson.member("n1", DcsJson.member(running)).orElseThrow();
        assertThat(back).isEqualTo(running);
        assertThat(DcsJson.member(running)).contains("\"state\":\"running\"", "\"pending_restart\":true");
    }
}

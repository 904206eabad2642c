package io.pgha.proxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pgha.proxy.Listener;
import io.pgha.proxy.ProxyStats;
import io.pgha.proxy.RoutingTable;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Routing, leader change, holding and failing closed, with the handlers on embedded channels. */
class FrontendHandlerRoutingTest extends HandlerFixture {

    @Test
    void rwConnectsToThePrimaryAndForwardsTheStartupBytesUntouched() {
        board.update(table(1, N1, N2));
        EmbeddedChannel client = started(Listener.RW);

        assertThat(connector.last().backend()).isEqualTo(N1);
        assertThat(received(connector.last().channel())).isEqualTo(PgWire.startupBytes("app"));
        assertThat(state(client)).isEqualTo(new ConnState.Forwarding(N1));
        assertThat(board.stats(java.util.Map.of()).backend("n1").orElseThrow().current(Listener.RW)).isEqualTo(1);
    }

    @Test
    void roSessionsGoToTheLeastLoadedReplica() {
        board.update(table(1, N1, N2, N3));
        started(Listener.RO);
        started(Listener.RO);
        EmbeddedChannel third = started(Listener.RO);

        assertThat(connector.connections).extracting(c -> c.backend().member()).containsExactly("n2", "n3", "n2");
        third.close();
        started(Listener.RO);
        assertThat(connector.last().backend().member()).as("n2 has one session again, n3 one: tie, fewer total")
                .isEqualTo("n3");
    }

    @Test
    void aLeaderChangeClosesEverySessionToTheOldPrimaryAndNothingElse() {
        board.update(table(1, N1, N2));
        EmbeddedChannel rw = started(Listener.RW);
        EmbeddedChannel roOnReplica = started(Listener.RO);
        board.update(table(2, N1));
        EmbeddedChannel roOnPrimary = started(Listener.RO);
        assertThat(connector.last().backend()).as("RO fallback to the primary").isEqualTo(N1);
        EmbeddedChannel rwBackend = connector.connections.get(0).channel();

        io.pgha.proxy.TableUpdate u = board.update(table(3, N3.withState(io.pgha.proxy.BackendState.RUNNING), N2));

        assertThat(u.installed()).isTrue();
        assertThat(u.sessionsClosed()).isEqualTo(2);
        assertThat(u.allClosed()).isDone();

        assertThat(rw.isActive()).isFalse();
        assertThat(rwBackend.isActive()).as("the old primary gets no further byte").isFalse();
        assertThat(roOnPrimary.isActive()).isFalse();
        assertThat(roOnReplica.isActive()).isTrue();
        ProxyStats.Change change = board.stats(java.util.Map.of()).changes().get(0);
        assertThat(change.why()).contains("n1").contains("closing 2 session(s)");
    }

    @Test
    void aTableWithTheSamePrimaryClosesNothing() {
        board.update(table(1, N1, N2));
        EmbeddedChannel rw = started(Listener.RW);
        board.update(table(2, N1, N3));
        assertThat(rw.isActive()).isTrue();
    }

    @Test
    void anOlderTableIsIgnored() {
        board.update(table(5, N1));
        assertThat(board.update(table(4, N2_PRIMARY)).installed()).isFalse();
        started(Listener.RW);
        assertThat(connector.last().backend()).isEqualTo(N1);
    }

    @Test
    void aHeldConnectionIsReleasedToTheNewPrimaryAndKeepsItsBytes() {
        board.update(table(1, N1));
        board.update(holding(2, null));
        EmbeddedChannel client = started(Listener.RW);

        assertThat(connector.connections).isEmpty();
        assertThat(client.isActive()).isTrue();
        assertThat(state(client)).isInstanceOf(ConnState.Held.class);
        assertThat(board.stats(java.util.Map.of()).listener(Listener.RW).held()).isEqualTo(1);

        board.update(table(3, N2_PRIMARY));
        client.runPendingTasks();

        assertThat(connector.last().backend()).isEqualTo(N2_PRIMARY);
        assertThat(received(connector.last().channel())).isEqualTo(PgWire.startupBytes("app"));
        assertThat(state(client)).isInstanceOf(ConnState.Forwarding.class);
    }

    @Test
    void aHeldConnectionStaysHeldWhileTheTableStillHolds() {
        board.update(holding(1, null));
        EmbeddedChannel client = started(Listener.RW);
        board.update(holding(2, N2_PRIMARY));
        client.runPendingTasks();
        assertThat(state(client)).isInstanceOf(ConnState.Held.class);
        assertThat(connector.connections).isEmpty();
    }

    @Test
    void aHeldConnectionIsClosedWithAnErrorAfterTheHoldTimeout() {
        board.update(holding(1, null));
        EmbeddedChannel client = client(Listener.RW);
        client.freezeTime();
        client.writeInbound(PgWire.startup("app"));

        client.advanceTimeBy(HOLD.toMillis() - 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        assertThat(client.isActive()).isTrue();
        client.advanceTimeBy(1, java.util.concurrent.TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();

        assertThat(assertRefused(client, "57P03")).startsWith("pgha: no primary available");
        assertThat(connector.connections).isEmpty();
    }

    @Test
    void aHoldStaysInEffectWhenTheNextTableHasNoPrimaryUntilTheHoldTimeout() {
        board.update(holding(1, null));
        board.update(table(2, null));
        assertThat(state(started(Listener.RW))).isInstanceOf(ConnState.Held.class);

        clock.advance(HOLD.plusMillis(1));
        assertThat(assertRefused(started(Listener.RW), "57P03")).isEqualTo("pgha: no primary available");
    }

    @Test
    void withoutPrimaryAndWithoutHoldRwIsRefusedAtOnce() {
        board.update(table(1, null, N2));
        assertThat(assertRefused(started(Listener.RW), "57P03")).isEqualTo("pgha: no primary available");
    }

    @Test
    void anUnconfirmedLeaderFailsRwClosedButKeepsRoSessions() {
        board.update(table(1, N1, N2));
        EmbeddedChannel rw = started(Listener.RW);
        EmbeddedChannel ro = started(Listener.RO);

        clock.advance(CONFIRM_TIMEOUT.plusMillis(1));
        board.checkLeaderConfirmation();

        assertThat(rw.isActive()).isFalse();
        assertThat(ro.isActive()).isTrue();
        assertThat(board.stats(java.util.Map.of()).rwFailClosed()).isTrue();
        assertThat(assertRefused(started(Listener.RW), "57P03")).contains("not confirmed");
        started(Listener.RO);
        assertThat(connector.last().backend()).isEqualTo(N2);

        board.confirm(clock.instant());
        assertThat(board.stats(java.util.Map.of()).rwFailClosed()).isFalse();
        started(Listener.RW);
        assertThat(connector.last().backend()).isEqualTo(N1);
    }

    @Test
    void aConfirmationOfTheOldLeaderDoesNotVouchForANewOne() {
        board.update(table(1, N1));
        clock.advance(CONFIRM_TIMEOUT.multipliedBy(2));
        board.confirm(clock.instant());
        RoutingTable staleNewLeader = new RoutingTable(2, java.util.Optional.of(N2_PRIMARY), java.util.List.of(),
                false, clock.instant().minus(CONFIRM_TIMEOUT).minusSeconds(1));

        board.update(staleNewLeader);

        assertThat(board.stats(java.util.Map.of()).rwFailClosed()).isTrue();
        assertThat(assertRefused(started(Listener.RW), "57P03")).contains("not confirmed");
    }

    @Test
    void failingClosedRefusesHeldConnections() {
        board.update(holding(1, null));
        EmbeddedChannel held = started(Listener.RW);
        clock.advance(CONFIRM_TIMEOUT.plus(Duration.ofSeconds(1)));
        board.checkLeaderConfirmation();
        held.runPendingTasks();
        assertThat(assertRefused(held, "57P03")).contains("not confirmed");
    }

    @Test
    void confirmationsKeepRwOpenPastTheTimeout() {
        board.update(table(1, N1));
        for (int i = 0; i < 5; i++) {
            clock.advance(CONFIRM_TIMEOUT.dividedBy(2));
            board.confirm(clock.instant());
        }
        board.checkLeaderConfirmation();
        started(Listener.RW);
        assertThat(connector.last().backend()).isEqualTo(N1);
    }
}

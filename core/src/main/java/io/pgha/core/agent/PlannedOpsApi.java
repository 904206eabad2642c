package io.pgha.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.ControlKeys;
import io.pgha.core.dcs.FailoverRequest;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.ha.Eligibility;
import io.pgha.core.ha.HaSettings;
import io.pgha.core.postgres.Role;
import io.pgha.core.rest.RestApi.Reply;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code POST /switchover}, {@code DELETE /switchover} and {@code POST /failover} with Patroni's bodies and codes
 * (200 done, 202 scheduled, 400 malformed, 412 not possible, 422 bad schedule, 503 not confirmed), and
 * {@code POST /pause} / {@code /resume}. Handlers check the request against the last cycle's view with the
 * decision's own candidate rules, write the {@code failover} key, and wait for the cluster to carry it out; the HA
 * loops do the rest (STYLE P10).
 */
final class PlannedOpsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Supplier<Optional<NodeStatus>> last;
    private final ControlKeys keys;
    private final HaSettings ha;

    PlannedOpsApi(Supplier<Optional<NodeStatus>> last, ControlKeys keys, HaSettings ha) {
        this.last = last;
        this.keys = keys;
        this.ha = ha;
    }

    void register(AgentRest api) {
        api.mutating("POST", "/switchover", r -> switchover(r.body(), false));
        api.mutating("POST", "/failover", r -> switchover(r.body(), true));
        api.mutating("DELETE", "/switchover", r -> keys.cancelFailover()
                ? Reply.text(200, "scheduled switchover deleted") : Reply.text(404, "no switchover is scheduled"));
        api.mutating("POST", "/pause", r -> pause(true));
        api.mutating("POST", "/resume", r -> pause(false));
    }

    private Reply pause(boolean on) {
        Optional<ClusterView> view = last.get().map(NodeStatus::cluster);
        if (view.isPresent() && view.get().paused() == on) {
            return Reply.text(200, on ? "cluster is already paused" : "cluster is not paused");
        }
        keys.setPaused(on);
        return Reply.text(200, on ? "maintenance mode on: nothing is promoted or demoted automatically"
                : "maintenance mode off");
    }

    private Reply switchover(String body, boolean failover) {
        JsonNode n;
        try {
            n = JSON.readTree(body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return Reply.text(400, "the body is not JSON: " + e.getMessage());
        }
        Optional<String> leader = text(n, "leader");
        Optional<String> candidate = text(n, "candidate");
        Optional<ClusterView> seen = last.get().map(NodeStatus::cluster);
        if (seen.isEmpty()) {
            return Reply.text(503, "this node has not read the cluster yet; retry");
        }
        ClusterView view = seen.get();
        if (failover && leader.isEmpty()) {
            if (candidate.isEmpty()) {
                return Reply.text(400, "Failover could be performed only to a specific candidate");
            }
            if (healthyLeader(view).isPresent()) {
                leader = healthyLeader(view);
            } else {
                return manualFailover(view, candidate.get(), n.path("force").asBoolean(false));
            }
        }
        if (leader.isEmpty()) {
            return Reply.text(400, "Switchover could be performed only from a specific leader");
        }
        if (candidate.equals(leader)) {
            return Reply.text(400, "Switchover target and source are the same");
        }
        if (view.paused() && candidate.isEmpty()) {
            return Reply.text(400, "Switchover is possible only to a specific candidate in a paused state");
        }
        Optional<Instant> at = Optional.empty();
        if (text(n, "scheduled_at").isPresent()) {
            if (failover) {
                return Reply.text(400, "Failover can't be scheduled");
            }
            Schedule s = schedule(text(n, "scheduled_at").get());
            if (s.error() != null) {
                return s.error();
            }
            at = Optional.of(s.at());
        }
        Optional<String> holder = view.leader().map(l -> l.name());
        if (!holder.equals(leader)) {
            return Reply.text(412, "leader name does not match: " + leader.get() + " is not the leader ("
                    + holder.orElse("there is no leader") + ")");
        }
        Optional<String> why = candidate.isPresent() ? Eligibility.whyNot(view, candidate.get(), ha).map(w ->
                "candidate " + candidate.get() + " is not eligible: " + w)
                : Eligibility.best(view, leader.get(), ha).isPresent() ? Optional.empty()
                : Optional.of("no good candidates have been found");
        if (why.isPresent()) {
            return Reply.text(412, why.get());
        }
        if (!keys.requestFailover(new FailoverRequest(leader, candidate, at, false, 0))) {
            return Reply.text(409, "another switchover or failover is already pending");
        }
        if (at.isPresent()) {
            return Reply.text(202, "Switchover scheduled at " + at.get());
        }
        String from = leader.get();
        return awaitLeader(v -> v.leader().isPresent() && !v.isLeader(from)
                && candidate.map(v::isLeader).orElse(true), "switched over");
    }

    private Reply manualFailover(ClusterView view, String candidate, boolean force) {
        Optional<MemberState> m = view.member(candidate);
        if (m.isEmpty() || !m.get().isRunning() || m.get().role() != Role.REPLICA) {
            return Reply.text(412, "candidate " + candidate + " is not eligible: "
                    + (m.isEmpty() ? "not a member" : "not a running replica"));
        }
        Optional<String> why = Eligibility.whyNot(view, candidate, ha);
        if (why.isPresent() && !force) {
            return Reply.text(412, "candidate " + candidate + " is not eligible: " + why.get()
                    + " (--force promotes it anyway and may lose writes)");
        }
        if (!keys.requestFailover(new FailoverRequest(Optional.empty(), Optional.of(candidate), Optional.empty(),
                force, 0))) {
            return Reply.text(409, "another switchover or failover is already pending");
        }
        return awaitLeader(v -> v.isLeader(candidate), "failed over");
    }

    /** Polls the last cycle's view until {@code done} holds and the new leader runs as primary. */
    private Reply awaitLeader(Predicate<ClusterView> done, String verb) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean seen = false;
        while (System.nanoTime() < deadline) {
            Optional<ClusterView> v = last.get().map(NodeStatus::cluster);
            seen |= v.isPresent() && v.get().failover().isPresent();
            if (v.isPresent() && done.test(v.get()) && v.get().leaderMember()
                    .filter(m -> m.isRunning() && m.role() == Role.PRIMARY).isPresent()) {
                return Reply.text(200, "Successfully " + verb + " to \"" + v.get().leader().get().name() + "\"");
            }
            if (seen && v.get().failover().isEmpty() && v.get().leader().isPresent() && !done.test(v.get())) {
                return Reply.text(412, "the leader refused the request; see its log (pgha list shows the cluster)");
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return Reply.text(503, "Switchover status unknown: not confirmed within " + WAIT.toSeconds() + " s");
    }

    private static Optional<String> healthyLeader(ClusterView view) {
        return view.leaderMember().filter(m -> m.isRunning() && m.role() == Role.PRIMARY).map(MemberState::name);
    }

    private record Schedule(Instant at, Reply error) {
    }

    private static Schedule schedule(String text) {
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            try {
                java.time.LocalDateTime.parse(text);
                return new Schedule(null, Reply.text(400, "Timezone information is mandatory for scheduled_at"));
            } catch (DateTimeParseException e2) {
                return new Schedule(null, Reply.text(422, "Unable to parse scheduled timestamp '" + text
                        + "'; expected ISO 8601 with a time zone, e.g. 2026-11-22T08:00:00+00:00"));
            }
        }
        if (t.toInstant().isBefore(Instant.now())) {
            return new Schedule(null, Reply.text(422, "Can't schedule switchover in the past"));
        }
        return new Schedule(t.toInstant(), null);
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) && !n.get(field).asText().isBlank() ? Optional.of(n.get(field).asText())
                : Optional.empty();
    }
}

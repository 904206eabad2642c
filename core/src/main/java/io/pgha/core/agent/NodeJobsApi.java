package io.pgha.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.rest.RestApi.Reply;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /restart} (body {@code {"restart_pending": true}} restarts only when a parameter needs it) and
 * {@code POST /reinitialize} (a replica wipes its data and clones again from the leader) on this node. Both run on
 * the HA loop's single worker, so no HA action runs beside them.
 */
final class NodeJobsApi {
    private static final Logger LOG = LoggerFactory.getLogger(NodeJobsApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RESTART_WAIT_SECONDS = 300;

    private final String name;
    private final Supplier<Optional<HaLoop>> loop;

    NodeJobsApi(String name, Supplier<Optional<HaLoop>> loop) {
        this.name = name;
        this.loop = loop;
    }

    void register(AgentRest api) {
        api.mutating("POST", "/restart", r -> restart(r.body()));
        api.mutating("POST", "/reinitialize", r -> reinitialize());
    }

    private Reply restart(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return Reply.text(400, "the body is not JSON: " + e.getMessage());
        }
        Optional<HaLoop> l = loop.get();
        if (l.isEmpty()) {
            return Reply.text(503, name + " has not started its HA loop yet");
        }
        if (n.path("restart_pending").asBoolean(false) && !pendingRestart(l.get())) {
            return Reply.text(200, name + ": no restart pending; not restarting");
        }
        Optional<CompletableFuture<Void>> job = l.get().runJob("restart postgres", () -> l.get().runner().restart());
        if (job.isEmpty()) {
            return Reply.text(409, name + " is busy: " + l.get().job().orElse("another job"));
        }
        try {
            job.get().get(RESTART_WAIT_SECONDS, TimeUnit.SECONDS);
            return Reply.text(200, name + ": restarted successfully");
        } catch (ExecutionException e) {
            return Reply.text(503, name + ": restart failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return Reply.text(503, name + ": restart not finished after " + RESTART_WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.text(503, "interrupted");
        }
    }

    private static boolean pendingRestart(HaLoop l) {
        return l.runner().localQueries().queryString("SELECT count(*) FROM pg_settings WHERE pending_restart")
                .map(c -> !c.equals("0")).orElse(false);
    }

    private Reply reinitialize() {
        Optional<HaLoop> l = loop.get();
        Optional<NodeStatus> s = l.flatMap(HaLoop::status);
        if (s.isEmpty()) {
            return Reply.text(503, name + " has not read the cluster yet");
        }
        if (s.get().cluster().isLeader(name)) {
            return Reply.text(503, "I am the leader, can not reinitialize");
        }
        Optional<MemberState> leader = s.get().cluster().leaderMember().filter(MemberState::isRunning);
        if (leader.isEmpty()) {
            return Reply.text(503, "cannot reinitialize " + name + ": no running leader to clone from");
        }
        Optional<CompletableFuture<Void>> job = l.get().runJob("reinitialize from " + leader.get().name(),
                () -> l.get().runner().reinitialize(leader.get()));
        job.ifPresent(j -> j.whenComplete((done, error) -> {
            if (error != null) {
                LOG.warn("{}: reinitialize failed: {}", name, error.getMessage());
            }
        }));
        return job.isEmpty() ? Reply.text(503, name + " is busy: " + l.get().job().orElse("another job"))
                : Reply.text(200, "reinitialize started: " + name + " re-clones from " + leader.get().name());
    }
}

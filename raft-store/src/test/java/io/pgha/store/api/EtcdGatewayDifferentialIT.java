package io.pgha.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Sends the same JSON gateway requests to the real etcd 3.4 and to pgha, each starting empty, and asserts equal HTTP
 * status, content type and normalised JSON for every step (see {@link GatewayScript}, {@link JsonNormaliser}).
 * Watch responses are compared as etcd's clients see them: the created responses, then each watch's events in
 * order, however the server batched them.
 */
class EtcdGatewayDifferentialIT {

    /** What one server answered to one step, ready to compare. */
    record Answer(int status, String contentType, JsonElement json) {
    }

    @Test
    void pghaAnswersTheGatewayAsEtcdDoes() throws Exception {
        List<GatewayScript.Step> steps = GatewayScript.steps();
        List<Answer> etcd;
        try (RealEtcd real = new RealEtcd()) {
            etcd = run(new HttpJson(real.endpoint()), steps);
        }
        List<Answer> pgha;
        try (ApiFixture api = new ApiFixture()) {
            pgha = run(new HttpJson(api.endpoint()), steps);
        }
        List<String> differences = new ArrayList<>();
        StringBuilder transcript = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            transcript.append(steps.get(i).name()).append("\n   etcd: ").append(etcd.get(i)).append('\n');
            if (!etcd.get(i).equals(pgha.get(i))) {
                differences.add(steps.get(i).name() + ":\n   etcd: " + etcd.get(i) + "\n   pgha: " + pgha.get(i));
            }
        }
        // kept for review: what etcd answered to each step
        Files.writeString(Path.of("target", "gateway-differential.txt"), transcript);
        assertThat(differences).as("steps where pgha differs from etcd 3.4.23").isEmpty();
    }

    private static List<Answer> run(HttpJson http, List<GatewayScript.Step> steps) throws Exception {
        JsonNormaliser norm = new JsonNormaliser();
        List<Answer> answers = new ArrayList<>();
        for (GatewayScript.Step step : steps) {
            String body = step.body().contains("{lease1}") ? step.body().replace("{lease1}", norm.leaseId(1))
                    : step.body();
            answers.add(switch (step.kind()) {
                case GET -> unary(http.get(step.path()), norm, false, step);
                case POST -> unary(http.post(step.path(), body), norm, false, step);
                case MALFORMED -> unary(http.post(step.path(), body), norm, true, step);
                case STREAM -> stream(http, step.path(), body, norm);
                case WATCH -> watch(http, step, body, norm);
            });
        }
        return answers;
    }

    private static Answer unary(HttpJson.Reply r, JsonNormaliser norm, boolean parseError, GatewayScript.Step step) {
        JsonElement json = norm.normalise(r.body(), parseError);
        if (step.name().startsWith("member list") && json.isJsonObject()) {
            json.getAsJsonObject().remove("members"); // names and URLs differ by construction
        }
        return new Answer(r.status(), r.contentType(), json);
    }

    private static Answer stream(HttpJson http, String path, String body, JsonNormaliser norm) throws Exception {
        try (HttpJson.Stream s = http.stream(path, body)) {
            JsonArray lines = new JsonArray();
            for (String line : s.untilEnd(10)) {
                lines.add(norm.normalise(line, false));
            }
            return new Answer(s.status, s.transferEncoding, lines);
        }
    }

    /** Reads until the expected number of events (and at least the created responses) arrived, then hangs up. */
    private static Answer watch(HttpJson http, GatewayScript.Step step, String body, JsonNormaliser norm)
            throws Exception {
        int creates = body.split("create_request", -1).length - 1;
        JsonArray created = new JsonArray();
        TreeMap<String, JsonArray> events = new TreeMap<>();
        int seenEvents = 0;
        try (HttpJson.Stream s = http.stream(step.path(), body)) {
            long deadline = System.currentTimeMillis() + 10_000;
            while ((created.size() < creates + step.controls() || seenEvents < step.expect())
                    && System.currentTimeMillis() < deadline) {
                String line = s.next(Math.max(1, deadline - System.currentTimeMillis()));
                if (line == null) {
                    break;
                }
                JsonObject result = JsonParser.parseString(line).getAsJsonObject().getAsJsonObject("result");
                String id = result.has("watch_id") ? result.get("watch_id").getAsString() : "0";
                if (result.has("events")) {
                    JsonArray list = events.computeIfAbsent(id, k -> new JsonArray());
                    result.getAsJsonArray("events").forEach(e -> list.add(norm.normalise(e.toString(), false)));
                    seenEvents += result.getAsJsonArray("events").size();
                } else {
                    created.add(norm.normalise(line, false));
                }
            }
            JsonObject summary = new JsonObject();
            summary.add("responses_without_events", created);
            JsonObject byWatch = new JsonObject();
            events.forEach(byWatch::add);
            summary.add("events_by_watch", byWatch);
            return new Answer(s.status, s.transferEncoding, summary);
        }
    }
}

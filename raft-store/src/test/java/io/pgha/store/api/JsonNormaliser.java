package io.pgha.store.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes two servers' answers comparable: drops what differs by identity or time (cluster_id, member_id, raft_term,
 * the remaining TTL of a lease) and replaces lease IDs with placeholders numbered in order of appearance.
 */
final class JsonNormaliser {
    private static final Set<String> IDENTITY = Set.of("cluster_id", "member_id", "raft_term");

    private final Map<String, String> leaseIds = new HashMap<>();

    /** The server's lease ID behind a placeholder seen earlier, for use in later requests. */
    String leaseId(int n) {
        return leaseIds.entrySet().stream().filter(e -> e.getValue().equals("<lease" + n + ">"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    JsonElement normalise(String body, boolean parseErrorMessage) {
        JsonElement json;
        try {
            json = JsonParser.parseString(body);
        } catch (JsonSyntaxException e) {
            return new JsonPrimitive(body);
        }
        if (json == null || json.isJsonNull()) {
            return new JsonPrimitive(body);
        }
        return walk(json, parseErrorMessage);
    }

    private JsonElement walk(JsonElement e, boolean parseErrorMessage) {
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(x -> out.add(walk(x, parseErrorMessage)));
            return out;
        }
        if (!e.isJsonObject()) {
            return e;
        }
        JsonObject in = e.getAsJsonObject();
        JsonObject out = new JsonObject();
        for (Map.Entry<String, JsonElement> f : in.entrySet()) {
            String k = f.getKey();
            if (IDENTITY.contains(k) || ("TTL".equals(k) && in.has("grantedTTL"))) {
                continue;
            }
            if ("ID".equals(k) && f.getValue().isJsonPrimitive() && f.getValue().getAsString().length() > 6) {
                String id = f.getValue().getAsString();
                out.addProperty(k, leaseIds.computeIfAbsent(id, x -> "<lease" + (leaseIds.size() + 1) + ">"));
            } else if (parseErrorMessage && List.of("error", "message").contains(k)
                    && f.getValue().isJsonPrimitive()) {
                out.addProperty(k, "<json decoding error>");
            } else {
                out.add(k, walk(f.getValue(), parseErrorMessage));
            }
        }
        return out;
    }
}

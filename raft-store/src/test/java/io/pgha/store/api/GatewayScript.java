package io.pgha.store.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The request sequence the differential test sends to etcd and to pgha, in order. Revisions in it are those of a
 * fresh store (revision 1). {@code {lease1}} stands for the ID the server gave the first granted lease.
 */
final class GatewayScript {
    /** How a step is sent and read. */
    enum Kind { POST, GET, MALFORMED, STREAM, WATCH }

    /**
     * One request. For WATCH, {@code expect} is the number of events and {@code controls} the number of responses
     * without events beyond the created ones (cancel, progress) to wait for before hanging up.
     */
    record Step(String name, Kind kind, String path, String body, int expect, int controls) {
        Step(String name, Kind kind, String path, String body, int expect) {
            this(name, kind, path, body, expect, 0);
        }
    }

    private final List<Step> steps = new ArrayList<>();

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String kv(String key, String value) {
        return "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"";
    }

    private static String prefix(String extra) {
        return "{\"key\":\"" + b64("/d/") + "\",\"range_end\":\"" + b64("/d0") + "\"" + extra + "}";
    }

    private void post(String name, String path, String body) {
        steps.add(new Step(name, Kind.POST, path, body, 0));
    }

    static List<Step> steps() {
        GatewayScript s = new GatewayScript();
        s.keyValue();
        s.transactions();
        s.leases();
        s.errorsAndCompaction();
        s.httpRules();
        return s.steps;
    }

    private void keyValue() {
        post("put a", "/v3/kv/put", kv("/d/a", "1") + "}");
        post("put a with prev_kv", "/v3/kv/put", kv("/d/a", "2") + ",\"prev_kv\":true}");
        post("put b", "/v3/kv/put", kv("/d/b", "3") + "}");
        post("put c", "/v3/kv/put", kv("/d/c", "4") + "}");
        post("range one key", "/v3/kv/range", "{\"key\":\"" + b64("/d/a") + "\"}");
        post("range prefix", "/v3/kv/range", prefix(""));
        post("range prefix limit", "/v3/kv/range", prefix(",\"limit\":2"));
        post("range keys_only", "/v3/kv/range", prefix(",\"keys_only\":true"));
        post("range count_only", "/v3/kv/range", prefix(",\"count_only\":true"));
        post("range at rev 2", "/v3/kv/range", "{\"key\":\"" + b64("/d/a") + "\",\"revision\":\"2\"}");
        post("range sorted descending", "/v3/kv/range", prefix(",\"sort_order\":\"DESCEND\",\"sort_target\":\"KEY\""));
        post("range by camelCase names", "/v3/kv/range", "{\"key\":\"" + b64("/d/") + "\",\"rangeEnd\":\""
                + b64("/d0") + "\",\"countOnly\":true,\"no_such_field\":1}");
    }

    private void transactions() {
        String a = b64("/d/a");
        post("txn success", "/v3/kv/txn", "{\"compare\":[{\"key\":\"" + a + "\",\"target\":\"VALUE\",\"value\":\""
                + b64("2") + "\"}],\"success\":[{\"request_put\":" + kv("/d/x", "5") + "}},{\"request_range\":"
                + prefix("") + "}]}");
        post("txn failure runs nested txn", "/v3/kv/txn", "{\"compare\":[{\"key\":\"" + a + "\",\"target\":\"MOD\","
                + "\"mod_revision\":\"1\"}],\"failure\":[{\"request_txn\":{\"compare\":[{\"key\":\"" + b64("/d/n")
                + "\",\"target\":\"CREATE\",\"create_revision\":\"0\"}],\"success\":[{\"request_put\":"
                + kv("/d/n", "6") + "}}]}}]}");
        post("read-only txn failure", "/v3/kv/txn", "{\"compare\":[{\"key\":\"" + a + "\",\"target\":\"CREATE\","
                + "\"create_revision\":\"0\"}],\"failure\":[{\"request_range\":{\"key\":\"" + a + "\"}}]}");
        post("deleterange with prev_kv", "/v3/kv/deleterange", "{\"key\":\"" + b64("/d/b") + "\",\"prev_kv\":true}");
        post("deleterange of nothing", "/v3/kv/deleterange", "{\"key\":\"" + b64("/d/zzz") + "\"}");
        steps.add(new Step("watch history of prefix and one key", Kind.WATCH, "/v3/watch",
                "{\"create_request\":" + prefix(",\"start_revision\":\"2\"") + "}{\"create_request\":{\"key\":\""
                        + a + "\",\"start_revision\":\"3\",\"prev_kv\":true}}", 8));
    }

    private void leases() {
        post("lease grant", "/v3/lease/grant", "{\"TTL\":60}");
        post("put with lease", "/v3/kv/put", kv("/l/k", "v") + ",\"lease\":\"{lease1}\"}");
        post("timetolive with keys", "/v3/lease/timetolive", "{\"ID\":\"{lease1}\",\"keys\":true}");
        post("timetolive alias", "/v3/kv/lease/timetolive", "{\"ID\":\"{lease1}\"}");
        post("lease leases", "/v3/lease/leases", "{}");
        steps.add(new Step("keepalive twice", Kind.STREAM, "/v3/lease/keepalive",
                "{\"ID\":\"{lease1}\"}\n{\"ID\":\"{lease1}\"}", 0));
        steps.add(new Step("keepalive unknown lease", Kind.STREAM, "/v3/lease/keepalive", "{\"ID\":\"77\"}", 0));
        post("lease revoke", "/v3/lease/revoke", "{\"ID\":\"{lease1}\"}");
        post("revoked lease's key is gone", "/v3/kv/range", "{\"key\":\"" + b64("/l/k") + "\"}");
        post("revoke unknown lease", "/v3/lease/revoke", "{\"ID\":\"{lease1}\"}");
        post("timetolive of revoked lease", "/v3/lease/timetolive", "{\"ID\":\"{lease1}\"}");
        post("put with unknown lease", "/v3/kv/put", kv("/l/k", "v") + ",\"lease\":\"12345\"}");
        post("lease grant below the minimum TTL", "/v3/lease/grant", "{\"TTL\":1}");
    }

    private void errorsAndCompaction() {
        post("range empty key", "/v3/kv/range", "{}");
        post("put empty body", "/v3/kv/put", "");
        post("range future revision", "/v3/kv/range", "{\"key\":\"" + b64("/d/a") + "\",\"revision\":\"100\"}");
        post("compaction", "/v3/kv/compaction", "{\"revision\":\"5\"}");
        post("compaction again", "/v3/kv/compaction", "{\"revision\":\"5\"}");
        post("compaction in the future", "/v3/kv/compaction", "{\"revision\":\"100\"}");
        post("range below compaction", "/v3/kv/range", "{\"key\":\"" + b64("/d/a") + "\",\"revision\":\"3\"}");
        steps.add(new Step("watch from a compacted revision", Kind.WATCH, "/v3/watch",
                "{\"create_request\":{\"key\":\"" + b64("/d/a") + "\",\"start_revision\":\"2\"}}", 0, 1));
        steps.add(new Step("watch cancel and progress", Kind.WATCH, "/v3/watch", "{\"create_request\":{\"key\":\""
                + b64("/d/a") + "\"}}{\"cancel_request\":{\"watch_id\":\"0\"}}{\"cancel_request\":{\"watch_id\":\"9\"}}"
                + "{\"progress_request\":{}}", 0, 2));
        String put = "{\"request_put\":" + kv("/d/k", "v") + "}}";
        post("txn duplicate key", "/v3/kv/txn", "{\"success\":[" + put + "," + put + "]}");
        StringBuilder many = new StringBuilder("{\"success\":[");
        for (int i = 0; i < 129; i++) {
            many.append(i == 0 ? "" : ",").append("{\"request_range\":{\"key\":\"").append(b64("k" + i))
                    .append("\"}}");
        }
        post("txn too many ops", "/v3/kv/txn", many.append("]}").toString());
        post("put ignore_value on a missing key", "/v3/kv/put", "{\"key\":\"" + b64("/missing")
                + "\",\"ignore_value\":true}");
        post("put ignore_value with a value", "/v3/kv/put", kv("/d/a", "x") + ",\"ignore_value\":true}");
    }

    private void httpRules() {
        steps.add(new Step("malformed JSON", Kind.MALFORMED, "/v3/kv/put", "{bad", 0));
        steps.add(new Step("wrong JSON type", Kind.MALFORMED, "/v3/kv/put", "{\"key\":5}", 0));
        steps.add(new Step("malformed JSON on a stream", Kind.MALFORMED, "/v3/watch", "{bad", 0));
        steps.add(new Step("GET on a POST path", Kind.GET, "/v3/kv/range", "", 0));
        post("unknown v3 path", "/v3/kv/nope", "{}");
        post("unknown path", "/nope", "{}");
        post("v3alpha is gone", "/v3alpha/kv/range", "{}");
        post("v3beta is rewritten", "/v3beta/kv/range", "{\"key\":\"" + b64("/d/a") + "\"}");
        steps.add(new Step("version", Kind.GET, "/version", "", 0));
        steps.add(new Step("health", Kind.GET, "/health", "", 0));
        steps.add(new Step("POST on version", Kind.POST, "/version", "", 0));
        post("authenticate with auth off", "/v3/auth/authenticate", "{\"name\":\"u\",\"password\":\"p\"}");
        post("user list with auth off", "/v3/auth/user/list", "{}");
        post("user get of nobody", "/v3/auth/user/get", "{\"name\":\"nobody\"}");
        post("alarm get", "/v3/maintenance/alarm", "{}");
        post("defragment", "/v3/maintenance/defragment", "{}");
        post("member list has no revision", "/v3/cluster/member/list", "{}");
    }
}

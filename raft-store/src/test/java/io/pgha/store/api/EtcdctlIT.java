package io.pgha.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real etcdctl 3.4 against pgha's etcd API on one port (gRPC through the protocol sniffer). */
class EtcdctlIT {
    private static ApiFixture api;
    private static Etcdctl etcdctl;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture();
        etcdctl = new Etcdctl("127.0.0.1:" + api.port());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String ok(String... args) throws Exception {
        Etcdctl.Result r = etcdctl.run(args);
        assertThat(r.exitCode()).as("etcdctl %s: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    @Test
    void putGetDeleteAndTheirOptions() throws Exception {
        assertThat(ok("put", "/ctl/a", "1")).isEqualTo("OK\n");
        assertThat(ok("put", "/ctl/b", "2")).isEqualTo("OK\n");
        assertThat(ok("put", "/ctl/a", "3")).isEqualTo("OK\n");
        assertThat(ok("get", "/ctl/a")).isEqualTo("/ctl/a\n3\n");
        assertThat(ok("get", "--prefix", "/ctl/")).isEqualTo("/ctl/a\n3\n/ctl/b\n2\n");
        assertThat(ok("get", "--prefix", "--keys-only", "/ctl/")).isEqualTo("/ctl/a\n\n/ctl/b\n\n");
        String json = ok("get", "/ctl/a", "-w", "json");
        assertThat(json).contains("\"kvs\":[{\"key\":\"L2N0bC9h\"").contains("\"value\":\"Mw==\"")
                .contains("\"version\":2").contains("\"count\":1");
        long createRev = Long.parseLong(grab(json, "\"create_revision\":(\\d+)"));
        assertThat(ok("get", "/ctl/a", "--rev", Long.toString(createRev))).isEqualTo("/ctl/a\n1\n");
        assertThat(ok("del", "/ctl/b")).isEqualTo("1\n");
        assertThat(ok("get", "/ctl/b")).isEmpty();
        Etcdctl.Result empty = etcdctl.run("get", "");
        assertThat(empty.exitCode()).isNotZero();
        assertThat(empty.err()).contains("key is not provided");
    }

    @Test
    void txnFromStdinTakesTheBranchItsComparesChoose() throws Exception {
        ok("put", "/txn/k", "v1");
        String script = "value(\"/txn/k\") = \"v1\"\n\nput /txn/k v2\nget /txn/k\n\nput /txn/k failed\n\n";
        Etcdctl.Result r = etcdctl.runWithInput(script, "txn");
        assertThat(r.out()).isEqualTo("SUCCESS\n\nOK\n\n/txn/k\nv2\n");
        r = etcdctl.runWithInput(script, "txn");
        assertThat(r.out()).isEqualTo("FAILURE\n\nOK\n");
        assertThat(ok("get", "/txn/k", "--print-value-only")).isEqualTo("failed\n");
    }

    @Test
    void watchPrintsHistoryFromARevisionThenLiveEvents() throws Exception {
        String put = ok("put", "/w/x", "one", "-w", "json");
        long rev = Long.parseLong(grab(put, "\"revision\":(\\d+)"));
        ok("del", "/w/x");
        try (Etcdctl.Running watch = new Etcdctl.Running(etcdctl.start("watch", "--prefix", "/w/", "--rev",
                Long.toString(rev)))) {
            assertThat(watch.next(6, 10)).containsExactly("PUT", "/w/x", "one", "DELETE", "/w/x", "");
            ok("put", "/w/y", "two");
            assertThat(watch.next(3, 10)).containsExactly("PUT", "/w/y", "two");
        }
    }

    @Test
    void leaseGrantKeepAliveTimeToLiveRevoke() throws Exception {
        String granted = ok("lease", "grant", "60");
        assertThat(granted).matches("lease [0-9a-f]+ granted with TTL\\(60s\\)\n");
        String id = grab(granted, "lease ([0-9a-f]+) granted");
        ok("put", "--lease", id, "/lease/k", "v");
        assertThat(ok("lease", "keep-alive", "--once", id)).isEqualTo("lease " + id + " keepalived with TTL(60)\n");
        assertThat(ok("lease", "timetolive", "--keys", id))
                .matches("lease " + id + " granted with TTL\\(60s\\), remaining\\(\\d+s\\), "
                        + "attached keys\\(\\[/lease/k\\]\\)\n");
        assertThat(ok("lease", "revoke", id)).isEqualTo("lease " + id + " revoked\n");
        assertThat(ok("get", "/lease/k")).isEmpty();
        assertThat(ok("lease", "timetolive", id)).isEqualTo("lease " + id + " already expired\n");
    }

    @Test
    void compactionThenReadingBelowItFails() throws Exception {
        ok("put", "/c/k", "1");
        String put = ok("put", "/c/k", "2", "-w", "json");
        long rev = Long.parseLong(grab(put, "\"revision\":(\\d+)"));
        assertThat(ok("compaction", Long.toString(rev))).isEqualTo("compacted revision " + rev + "\n");
        Etcdctl.Result below = etcdctl.run("get", "/c/k", "--rev", Long.toString(rev - 1));
        assertThat(below.exitCode()).isNotZero();
        assertThat(below.err()).contains("required revision has been compacted");
    }

    @Test
    void memberListEndpointStatusAndHealth() throws Exception {
        String id = Long.toHexString(FakeStoreCluster.MEMBER_ID);
        assertThat(ok("member", "list")).isEqualTo(id + ", started, default, http://127.0.0.1:2380, "
                + api.endpoint() + ", false\n");
        assertThat(ok("endpoint", "status")).startsWith("127.0.0.1:" + api.port() + ", " + id + ", 3.4.23, ")
                .contains(", true, false, 2, 8, 8, ");
        Etcdctl.Result health = etcdctl.run("endpoint", "health"); // etcdctl 3.4 prints it on stderr
        assertThat(health.exitCode()).isZero();
        assertThat(health.err()).startsWith("127.0.0.1:" + api.port()
                + " is healthy: successfully committed proposal: took = ");
        assertThat(ok("endpoint", "status", "--cluster")).startsWith(api.endpoint() + ", " + id + ", 3.4.23, ");
    }

    private static String grab(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }
}

package io.pgha.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.core.agent.ClusterTable;
import io.pgha.core.agent.DemoCluster;
import io.pgha.core.agent.RestClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgha demo}: Start a three-node cluster on this machine (127.0.0.11-13) for trying pgha out. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a three-node cluster on this machine (127.0.0.11-13) for trying pgha out.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration FORM = Duration.ofMinutes(5);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./pgha-demo",
            description = "Where the configs, data and logs go (default ./pgha-demo).")
    Path dir;

    @Option(names = "--sync", description = "Run the cluster with ha.synchronous_mode: on (default off).")
    boolean sync;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (!"root".equals(System.getProperty("user.name"))) {
            spec.commandLine().getErr().println("pgha demo: run as root (Postgres runs as the postgres user)");
            return ExitCodes.USAGE;
        }
        DemoCluster demo = DemoCluster.prepare(dir, sync);
        out.println("pgha demo: configs, data and logs in " + demo.dir());
        demo.start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\npgha demo: stopping the three agents and their Postgres...");
            out.flush();
            try {
                demo.close();
            } catch (IOException e) {
                out.println("pgha demo: " + e.getMessage());
            }
            done.countDown();
        }, "pgha-demo-stop"));
        long start = System.nanoTime();
        RestClient node1 = new RestClient(DemoCluster.ADDRESSES.get(0), 8008);
        JsonNode cluster = awaitFormed(node1, demo, out);
        if (cluster == null) {
            spec.commandLine().getErr().println("pgha demo: the cluster did not form within " + FORM.toMinutes()
                    + " minutes; see " + demo.dir() + "/node*.log");
            System.exit(ExitCodes.FAILED);
        }
        out.printf("%npgha demo: one primary and two streaming replicas after %.1f s%n%n",
                (System.nanoTime() - start) / 1e9);
        out.print(ClusterTable.render(cluster));
        out.println();
        out.println("Connect (password: " + demo.superuserPassword() + "):");
        out.println("  psql -h 127.0.0.11 -p 5432 -U postgres       # RW through the proxy on any node (.11-.13)");
        out.println("  psql -h 127.0.0.11 -p 5433 -U postgres       # RO, spread over the replicas");
        out.println("Try:");
        out.println("  pgha list --host 127.0.0.11 --watch");
        out.println("  pgha dsn --host 127.0.0.11");
        out.println("  kill the primary's agent and Postgres, and watch a replica take over");
        out.println("Ctrl-C stops everything this demo started.");
        out.flush();
        done.await();
        return ExitCodes.OK;
    }

    private static JsonNode awaitFormed(RestClient client, DemoCluster demo, PrintWriter out) {
        long deadline = System.nanoTime() + FORM.toNanos();
        String last = "";
        while (System.nanoTime() < deadline && demo.agentsAlive()) {
            try {
                JsonNode cluster = client.cluster();
                if (RestClient.formed(cluster, 2)) {
                    return cluster;
                }
                String now = cluster.path("members").size() + " member(s) up";
                if (!now.equals(last)) {
                    out.println("pgha demo: " + now + "...");
                    out.flush();
                    last = now;
                }
            } catch (IOException e) {
                // node1 is still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }
        return null;
    }
}

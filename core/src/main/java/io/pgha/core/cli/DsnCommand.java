package io.pgha.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.core.agent.RestClient;
import io.pgha.core.config.PghaConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code pgha dsn}: libpq connection strings for the cluster. */
@Command(name = "dsn", mixinStandardHelpOptions = true,
        description = "Print libpq connection strings: multi-host (target_session_attrs) and through the proxy.")
final class DsnCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        RestClient client = target.client(spec.commandLine());
        JsonNode cluster;
        try {
            cluster = client.cluster();
        } catch (IOException e) {
            spec.commandLine().getErr().println("pgha dsn: cannot read " + client.base() + "/cluster: "
                    + e.getMessage());
            return ExitCodes.FAILED;
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (JsonNode m : cluster.path("members")) {
            hosts.add(m.path("host").asText());
            ports.add(m.path("port").asText());
        }
        Optional<PghaConfig> local = target.localConfig(spec.commandLine());
        String user = local.map(c -> c.postgres().superuser().username()).orElse("postgres");
        String h = String.join(",", hosts);
        out.println("# primary, directly (libpq picks the writable one):");
        out.println("host=" + h + " port=" + String.join(",", ports) + " user=" + user
                + " target_session_attrs=read-write");
        out.println("# any replica, directly:");
        out.println("host=" + h + " port=" + String.join(",", ports) + " user=" + user
                + " target_session_attrs=standby");
        int rw = local.map(c -> c.proxy().rwPort()).orElse(5432);
        int ro = local.map(c -> c.proxy().roPort()).orElse(5433);
        out.println("# through the pgha proxy on every node (RW " + rw + ", RO " + ro + "):");
        out.println("host=" + h + " port=" + repeat(rw, hosts.size()) + " user=" + user);
        out.println("host=" + h + " port=" + repeat(ro, hosts.size()) + " user=" + user);
        return ExitCodes.OK;
    }

    private static String repeat(int port, int n) {
        return String.join(",", Collections.nCopies(Math.max(1, n), String.valueOf(port)));
    }
}

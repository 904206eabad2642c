package io.pgha.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgha.core.agent.ClusterTable;
import io.pgha.core.agent.RestClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgha list}: List members: role, state, timeline, lag (like patronictl list). */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List members: role, state, timeline, lag (like patronictl list).")
final class ListCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "pretty",
            description = "pretty (default), json or yaml.")
    String format;

    @Option(names = {"-W", "--watch"}, description = "Refresh every --interval seconds until interrupted.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2", description = "Watch interval.")
    int interval;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("pretty") && !format.equals("json") && !format.equals("yaml")) {
            err.println("pgha list: --format: found '" + format + "', expected pretty, json or yaml");
            return ExitCodes.USAGE;
        }
        RestClient client = target.client(spec.commandLine());
        do {
            try {
                JsonNode cluster = client.cluster();
                out.print(render(cluster));
                out.flush();
            } catch (InterruptedException e) {
                // Ctrl-C (or an interrupt) during a refresh ends --watch normally.
                if (watch) {
                    return ExitCodes.OK;
                }
                throw e;
            } catch (IOException e) {
                err.println("pgha list: cannot read " + client.base() + "/cluster: " + e.getMessage());
                err.flush();
                if (!watch) {
                    return ExitCodes.FAILED;
                }
            }
            if (watch) {
                LockSupport.parkNanos(interval * 1_000_000_000L);
                out.println();
            }
        } while (watch && !Thread.currentThread().isInterrupted());
        return ExitCodes.OK;
    }

    private String render(JsonNode cluster) throws IOException {
        if (format.equals("json")) {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(cluster) + "\n";
        }
        if (format.equals("yaml")) {
            return new YAMLMapper().writeValueAsString(cluster);
        }
        return ClusterTable.render(cluster);
    }
}

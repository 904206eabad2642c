package io.pgha.core.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.core.agent.RestClient;
import io.pgha.core.config.ConfigException;
import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.DynamicConfig;
import io.pgha.core.config.Environment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgha edit-config}: reads the stored configuration and its revision, applies {@code --file} then each
 * {@code --set}, checks the result here (the same rules as {@code pgha.yml}), prints the diff and sends the change as
 * a merge patch that the node writes only if the key is still at the revision read (and only after checking the
 * Postgres parameters against its {@code pg_settings}). Invalid input exits 2 and writes nothing.
 */
@Command(name = "edit-config", mixinStandardHelpOptions = true,
        description = "Change the dynamic configuration cluster-wide (compare-and-set).")
final class EditConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Option(names = {"-s", "--set"}, paramLabel = "PATH=VALUE",
            description = "Set one key, e.g. postgres.parameters.work_mem=8MB (postgresql. is accepted for"
                    + " postgres.); VALUE null removes the key. Repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "A YAML or JSON document merged into the configuration (null removes a key).")
    Path file;

    @Option(names = "--dry-run", description = "Check and print the diff, write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sets.isEmpty() && file == null) {
            err.println("pgha edit-config: found no change, expected --set PATH=VALUE or --file FILE");
            return ExitCodes.USAGE;
        }
        RestClient client = target.client(spec.commandLine());
        try {
            RestClient.Answer current = client.getConfig();
            if (current.code() != 200 || current.etag().isEmpty()) {
                err.println("pgha edit-config: " + client.base() + "/config answered " + current.code() + ": "
                        + current.body().strip());
                return ExitCodes.FAILED;
            }
            ObjectNode before = DynamicConfig.parse(current.body());
            ObjectNode patch = patch();
            ObjectNode after = DynamicConfig.merge(before, patch);
            List<String> problems = DynamicConfig.problems(after);
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("pgha edit-config: " + p));
                err.println("pgha edit-config: nothing was written");
                return ExitCodes.USAGE;
            }
            List<String> diff = DynamicConfig.diff(before, after);
            if (diff.isEmpty()) {
                out.println("no change");
                return ExitCodes.OK;
            }
            diff.forEach(out::println);
            if (dryRun) {
                out.println("(dry run: nothing was written)");
                return ExitCodes.OK;
            }
            return send(client, patch, current.etag().get(), out, err);
        } catch (ConfigException e) {
            e.errors().forEach(x -> err.println("pgha edit-config: " + x.path() + ": " + x.message()));
            err.println("pgha edit-config: nothing was written");
            return ExitCodes.USAGE;
        } catch (IOException e) {
            err.println("pgha edit-config: cannot reach " + client.base() + "/config: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private ObjectNode patch() throws ConfigException {
        ObjectNode patch = file == null ? DynamicConfig.parse("{}")
                : DynamicConfig.parse(ConfigLoader.read(file, Environment.system()));
        for (String s : sets) {
            patch = DynamicConfig.set(patch, s);
        }
        return patch;
    }

    private int send(RestClient client, ObjectNode patch, String etag, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        RestClient.Answer r = client.patchConfig(DynamicConfig.toJson(patch), etag,
                target.authorization(spec.commandLine()));
        if (r.code() == 200) {
            out.println("written (revision " + r.etag().orElse("?").replace("\"", "") + "); every node applies it"
                    + " within a cycle; see 'pgha list' for a pending restart");
            return ExitCodes.OK;
        }
        r.body().strip().lines().forEach(l -> err.println("pgha edit-config: " + l));
        return r.code() == 400 ? ExitCodes.USAGE : ExitCodes.FAILED;
    }
}

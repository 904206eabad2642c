package io.pgha.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.config.FakeEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Help, version and usage errors behave the same on every command: exit codes 0 and 2, never a stack trace. */
class CommandLineContractTest {
    private final FakeEnvironment env = new FakeEnvironment();

    /** Every command path, such as [] for pgha itself, [config] and [config, check]. */
    private static List<List<String>> commandPaths(CommandLine cli, List<String> prefix) {
        List<List<String>> paths = new ArrayList<>();
        paths.add(prefix);
        cli.getSubcommands().forEach((name, sub) -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            paths.addAll(commandPaths(sub, path));
        });
        return paths;
    }

    @Test
    void helpOnEveryCommandAndSubcommandExitsZeroWithUsage() {
        List<List<String>> paths = commandPaths(PghaCommand.commandLine(env), List.of());
        assertThat(paths).contains(List.of("config", "check"), List.of("config", "show"), List.of("run"));
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun run = CliRun.of(env, args.toArray(String[]::new));
            String expected = path.isEmpty() || path.get(path.size() - 1).equals("help") ? "Usage: pgha"
                    : "Usage: pgha " + String.join(" ", path);
            assertThat(run.exitCode()).as("exit code of %s", args).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).as("output of %s", args).contains(expected);
        }
    }

    @Test
    void unknownCommandExitsTwoWithAClearMessage() {
        CliRun run = CliRun.of(env, "frobnicate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("pgha: Unmatched argument at index 0: 'frobnicate'")
                .contains("Try 'pgha --help' for usage.").doesNotContain("Exception", "\tat ");
    }

    @Test
    void switchoverAcceptsPatronictlsForceFlag() {
        // A patronictl script passes --force; with nothing listening the call fails, but not as a usage error.
        CliRun run = CliRun.of(env, "switchover", "--force", "--candidate", "node2", "--host",
                "127.0.0.1:1");
        assertThat(run.exitCode()).isNotEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).doesNotContain("Unknown option");
    }

    @Test
    void unknownOptionOnASubcommandExitsTwo() {
        CliRun run = CliRun.of(env, "config", "check", "--bogus");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("pgha: Unknown option: '--bogus'")
                .contains("Try 'pgha config check --help' for usage.").doesNotContain("Exception", "\tat ");
    }

    @Test
    void versionPrintsTheVersionThroughMain() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute("--version");
        } finally {
            System.setOut(original);
        }
        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(captured.toString(StandardCharsets.UTF_8)).startsWith("pgha ");
    }
}

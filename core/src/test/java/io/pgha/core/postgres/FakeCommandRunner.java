package io.pgha.core.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** Records every command and answers with a scripted result (output lines are fed to the line consumer). */
final class FakeCommandRunner implements CommandRunner {
    final List<Command> commands = new ArrayList<>();
    private final Function<Command, CommandResult> script;

    FakeCommandRunner(Function<Command, CommandResult> script) {
        this.script = script;
    }

    @Override
    public CommandResult run(Command command, Consumer<String> lines) {
        commands.add(command);
        CommandResult result = script.apply(command);
        result.output().lines().forEach(lines);
        return result;
    }
}

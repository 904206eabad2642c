package io.pgha.core.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command whose behaviour arrives in a later release. It says so and exits 1 rather than pretending to work.
 */
abstract class PendingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().printf("pgha %s: not available in this build yet; see README.md for what works.%n",
                spec.name());
        return ExitCodes.FAILED;
    }
}

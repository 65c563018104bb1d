package org.sallyport.broker.cli.client;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Stand-in for the lead's {@code Main} in tests: a bare root with only the client commands registered. */
@Command(name = "sallyport", mixinStandardHelpOptions = true, description = "test root")
final class TestRoot implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

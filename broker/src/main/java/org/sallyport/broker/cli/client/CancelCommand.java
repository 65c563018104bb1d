package org.sallyport.broker.cli.client;

import picocli.CommandLine.Command;

/** {@code sallyport cancel}: withdraw one's own request. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel your own pending or approved request; if it was approved, its grants end at once."})
public final class CancelCommand extends RequestActionCommand {

    public CancelCommand() {
        this(CliEnvironment.system());
    }

    public CancelCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    String action() {
        return "cancel";
    }

    @Override
    String comment() {
        return null;
    }
}

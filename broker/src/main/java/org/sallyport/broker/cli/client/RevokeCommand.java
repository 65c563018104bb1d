package org.sallyport.broker.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sallyport revoke}: {@code POST /api/requests/{id}/revoke} with a comment. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke an approved request: its grants end at once and live sessions are cut (supervisors of the sites, or admins).", "Use this when a window must close early."})
public final class RevokeCommand extends RequestActionCommand {

    @Option(names = {"-c", "--comment"}, paramLabel = "TEXT", required = true, description = "Why you revoke; kept in the audit trail.")
    String comment;

    public RevokeCommand() {
        this(CliEnvironment.system());
    }

    public RevokeCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    String action() {
        return "revoke";
    }

    @Override
    String comment() {
        return comment;
    }
}

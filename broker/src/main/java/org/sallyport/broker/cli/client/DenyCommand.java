package org.sallyport.broker.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sallyport deny}: {@code POST /api/requests/{id}/deny} with a comment. */
@Command(name = "deny", mixinStandardHelpOptions = true,
        description = {"Deny a pending access request (supervisors of the request's sites).", "The requester sees your comment."})
public final class DenyCommand extends RequestActionCommand {

    @Option(names = {"-c", "--comment"}, paramLabel = "TEXT", required = true, description = "Why you deny; the requester sees it and it is kept in the audit trail.")
    String comment;

    public DenyCommand() {
        this(CliEnvironment.system());
    }

    public DenyCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    String action() {
        return "deny";
    }

    @Override
    String comment() {
        return comment;
    }
}

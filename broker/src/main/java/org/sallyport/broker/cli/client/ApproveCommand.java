package org.sallyport.broker.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sallyport approve}: {@code POST /api/requests/{id}/approve} with a comment. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve a pending access request (supervisors of every target's site; never your own request).", "Opens the window once enough distinct supervisors approved: grants are printed then."})
public final class ApproveCommand extends RequestActionCommand {

    @Option(names = {"-c", "--comment"}, paramLabel = "TEXT", required = true, description = "Why you approve; kept in the audit trail.")
    String comment;

    public ApproveCommand() {
        this(CliEnvironment.system());
    }

    public ApproveCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    String action() {
        return "approve";
    }

    @Override
    String comment() {
        return comment;
    }
}

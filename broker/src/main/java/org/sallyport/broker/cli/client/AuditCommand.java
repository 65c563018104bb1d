package org.sallyport.broker.cli.client;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sallyport audit}: parent of the inspectors' audit commands. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check the audit trail: every decision and state change, hash-chained and signed.",
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class, AuditKeygenCommand.class, AuditReportCommand.class})
public final class AuditCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: one of " + spec.subcommands().keySet());
    }
}

package org.sallyport.broker.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sallyport.broker.server.Broker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sallyport credentials put|list}: manages the encrypted device-credential vault of a data folder. */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = "Manage device credentials in a data folder's encrypted vault (values are never printed).",
        subcommands = {CredentialsCommand.Put.class, CredentialsCommand.ListRefs.class})
final class CredentialsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Store the secret read from standard input under REF.")
    static final class Put implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "broker data folder")
        Path data;
        @Parameters(paramLabel = "REF", description = "credential reference used by targets (credentialRef)")
        String ref;

        @Override
        public Integer call() throws Exception {
            if (!ref.matches("[A-Za-z0-9][A-Za-z0-9._/@-]{0,127}")) {
                spec.commandLine().getErr().println("error: REF: letters, digits and . _ / @ - only");
                return ExitCodes.USAGE;
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                spec.commandLine().getErr().println("error: no secret on standard input");
                return ExitCodes.USAGE;
            }
            Broker.openVault(data).put(ref, line.toCharArray());
            spec.commandLine().getOut().println("stored credential " + ref);
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List credential references (never values).")
    static final class ListRefs implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "broker data folder")
        Path data;

        @Override
        public Integer call() {
            Broker.openVault(data).refs().stream().sorted().forEach(spec.commandLine().getOut()::println);
            return ExitCodes.OK;
        }
    }
}

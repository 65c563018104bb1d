package org.sallyport.broker.cli;

import java.util.List;
import org.sallyport.broker.cli.client.CliEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code sallyport}. Exit codes everywhere: 0 success, 1 operation or verification failed,
 * 2 unusable input (bad arguments, bad configuration, a 4xx from the broker).
 */
@Command(name = "sallyport", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Vendor maintenance-access broker: request, approve, connect, record, audit.",
        subcommands = {ServeCommand.class, DemoCommand.class, HashPasswordCommand.class, CredentialsCommand.class,
                RecordingCommand.class, PolicyCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        boolean server = args.length > 0 && List.of("serve").contains(args[0]);
        if (!server && System.getProperty("sallyport.log.format") == null) System.setProperty("sallyport.log.format", "TEXT");
        if (!server && System.getProperty("sallyport.log.level") == null && !(args.length > 0 && args[0].equals("demo"))) {
            System.setProperty("sallyport.log.level", "WARN");
        }
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return commandLine(CliEnvironment.system());
    }

    /** The root command with client commands bound to {@code env} (tests pass their own home, stdin and clock). */
    public static CommandLine commandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new Main());
        ExitCodes.install(cl);
        ClientCommands.register(cl, env);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sallyport " + (v == null ? "dev" : v)};
        }
    }
}

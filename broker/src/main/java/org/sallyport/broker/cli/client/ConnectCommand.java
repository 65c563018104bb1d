package org.sallyport.broker.cli.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sallyport connect TARGET [-- CMD...]}: runs the system {@code ssh} to the broker's gateway with the
 * certificate from login, user {@code USER+TARGET}, and the same options as {@code ssh-config}; exits with ssh's code.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = {"Open a maintenance session on a device through the broker's SSH gateway (vendor technicians).",
                "Runs your system ssh with the key, certificate and known_hosts saved by sallyport login. The device is"
                        + " chosen in the SSH user name, USER+TARGET (e.g. tech+cam-anz-01); sallyport adds your user name,"
                        + " so give only TARGET. The broker lets you in only during a window a supervisor approved"
                        + " (sallyport request), and records the whole session.",
                "Without CMD you get an interactive shell; with CMD, the command's output. Exits with ssh's exit code"
                        + " (255 when ssh itself fails), or 2 when the certificate has expired.",
                "Examples: sallyport connect cam-anz-01",
                "          sallyport connect cam-anz-01 -- uptime",
                "Set SALLYPORT_SSH to use another ssh program."},
        parameterListHeading = "%nParameters:%n")
public final class ConnectCommand extends ClientCommand {
    public static final String ENV_SSH = "SALLYPORT_SSH";

    private final ConnectionOptions none = new ConnectionOptions();

    @Parameters(index = "0", paramLabel = "TARGET", description = "Device id, e.g. cam-anz-01 (see sallyport ssh-config or"
            + " your grants).")
    String target;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "Command to run on the device instead of a shell,"
            + " after --.")
    List<String> command = new ArrayList<>();

    public ConnectCommand() {
        this(CliEnvironment.system());
    }

    public ConnectCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return none;
    }

    @Override
    public Integer call() {
        SshAccess.requireTargetId(target);
        Session session = home().session().orElseThrow(() -> new UnusableInputException(NOT_LOGGED_IN));
        SshAccess ssh = SshConfigCommand.requireSsh(session);
        if (ssh.expiredAt(environment.clock().instant())) {
            throw new UnusableInputException("SSH certificate expired; run sallyport login");
        }
        List<String> argv = argv(sshProgram(), ssh, target, command, environment.console() != null);
        out().flush();
        Process p;
        try {
            p = new ProcessBuilder(argv).inheritIO().start();
        } catch (IOException e) {
            throw new UnusableInputException("cannot run " + argv.getFirst() + ": " + e.getMessage(), e);
        }
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while ssh was running", e);
        }
    }

    /**
     * {@code ssh -p PORT -i KEY -o Name=value... [-t] -- USER+TARGET@HOST [CMD...]}. The {@code --} keeps ssh from
     * reading a CMD word that starts with '-' as one of its own options (it parses options after the host, too).
     */
    static List<String> argv(String ssh, SshAccess access, String target, List<String> command, boolean terminal) {
        List<String> argv = new ArrayList<>();
        argv.add(ssh);
        argv.add("-p");
        argv.add(Integer.toString(access.port()));
        argv.add("-i");
        argv.add(access.identityArgument());
        for (SshAccess.Option o : access.options()) {
            if (o.name().equals("IdentityFile")) continue; // given as -i
            argv.add("-o");
            argv.add(o.name() + "=" + o.value());
        }
        if (command.isEmpty() && terminal) argv.add("-t");
        argv.add("--");
        argv.add(access.sshUser(target) + "@" + access.host());
        argv.addAll(command);
        return argv;
    }

    private String sshProgram() {
        String override = environment.getenv(ENV_SSH);
        if (override != null) return override;
        return Executables.onPath("ssh", environment).map(Path::toString).orElseThrow(() -> new UnusableInputException(
                "ssh not found on PATH: install the OpenSSH client, or set " + ENV_SSH + " to its path"));
    }
}

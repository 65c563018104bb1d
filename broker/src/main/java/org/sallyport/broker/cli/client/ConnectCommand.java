package org.sallyport.broker.cli.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
                "With --http: open the device's web UI instead. A listener on 127.0.0.1 tunnels your browser to the broker,"
                        + " which adds the device's credential, blocks images and video, and records every exchange;"
                        + " open the printed URL and press Ctrl-C to end the session.",
                "          sallyport connect cam-anz-01 --http [--port 8081]",
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

    @Option(names = "--http", description = "Open the device's web UI through the broker (a local listener for your browser).")
    boolean http;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "With --http: local port to listen on"
            + " (default: any free port).")
    int port;

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
        if (http) return webUi();
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

    /** {@code --http}: opens an HTTP session and serves the tunnel until Ctrl-C or the session's end. */
    private int webUi() {
        if (!command.isEmpty()) throw new UnusableInputException("--http: no CMD; the web UI opens in your browser");
        if (port < 0 || port > 65535) throw new UnusableInputException("--port: must be 0..65535, got " + port);
        Session s = requireSession();
        String id;
        String ticket;
        try (ApiClient api = authenticatedClient()) {
            var opened = api.post("/api/http-sessions", java.util.Map.of("target", target));
            id = opened.get("id").asText();
            ticket = opened.get("ticket").asText();
            java.util.concurrent.CountDownLatch over = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
            Thread hook = new Thread(() -> {
                over.countDown();
                try {
                    closed.await(5, java.util.concurrent.TimeUnit.SECONDS); // let the session close before the JVM exits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sallyport-http-end");
            try (HttpTunnel tunnel = new HttpTunnel(ApiClient.parseUrl(s.url()), s.caFile() == null ? null : Path.of(s.caFile()), ticket,
                    why -> over.countDown())) {
                int bound = tunnel.start(port);
                out().println("HTTP session " + id + " on " + target + " until " + opened.get("notAfter").asText() + " (recorded).");
                out().println("Open http://127.0.0.1:" + bound + "/ in your browser. Ctrl-C ends the session.");
                out().flush();
                Runtime.getRuntime().addShutdownHook(hook);
                var warnings = timeBoxNotices(java.time.Instant.parse(opened.get("notAfter").asText()), over);
                over.await();
                warnings.shutdownNow();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what woke us
                }
                out().println("session ended.");
                out().flush();
            }
            try {
                api.post("/api/http-sessions/" + ApiClient.segment(id) + "/close", java.util.Map.of());
            } catch (RuntimeException ignored) {
                // already ended (window, revoke, terminate): nothing to close
            } finally {
                closed.countDown();
            }
            return ClientExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted", e);
        }
    }

    /** As on the SSH path: notices 5 minutes and 1 minute before the window ends, then the end. */
    private java.util.concurrent.ScheduledExecutorService timeBoxNotices(java.time.Instant notAfter, java.util.concurrent.CountDownLatch over) {
        var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sallyport-http-timebox");
            t.setDaemon(true);
            return t;
        });
        long now = environment.clock().millis();
        for (int minutes : new int[] {5, 1}) {
            long delay = notAfter.toEpochMilli() - minutes * 60_000L - now;
            if (delay > 0) timer.schedule(() -> {
                out().println("this session ends in " + minutes + " minute" + (minutes == 1 ? "" : "s") + " (at " + notAfter + ")");
                out().flush();
            }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        timer.schedule(over::countDown, Math.max(0, notAfter.toEpochMilli() - now), java.util.concurrent.TimeUnit.MILLISECONDS);
        return timer;
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

package org.sallyport.broker.cli.client;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the client commands in-process the way {@code Main} will (root + {@link ClientCli#register}), with a private
 * {@code SALLYPORT_HOME}, the real {@code PATH} (for ssh-keygen), a fixed clock, given standard input, and captured
 * stdout/stderr.
 */
final class Cli {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private String stdin = "";
    private Instant now = NOW;
    private OfflineAuditVerifier offline;

    Cli(Path home) {
        this.home = home;
        env.put(CliHome.ENV_HOME, home.resolve("sallyport-home").toString());
        String path = System.getenv("PATH"); // login runs the real ssh-keygen for vendor technicians
        if (path != null) env.put("PATH", path);
    }

    Cli stdin(String text) {
        this.stdin = text;
        return this;
    }

    Cli at(Instant now) {
        this.now = now;
        return this;
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cli offlineVerifier(OfflineAuditVerifier verifier) {
        this.offline = verifier;
        return this;
    }

    CliHome cliHome() {
        return CliHome.of(environment());
    }

    /** Saves a session as if {@code login} had run against {@code url}. */
    Cli loggedIn(String url, String token) {
        cliHome().save(new Session(url, "alice", token, NOW.plusSeconds(900), null));
        return this;
    }

    CliEnvironment environment() {
        return new CliEnvironment(env, home, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null,
                Clock.fixed(now, ZoneOffset.UTC), offline);
    }

    Result run(String... args) {
        CommandLine cl = new CommandLine(new TestRoot());
        ClientCli.register(cl, environment());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}

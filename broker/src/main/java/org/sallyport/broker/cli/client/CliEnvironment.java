package org.sallyport.broker.cli.client;

import java.io.Console;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the client commands take from the world outside their arguments, so that tests can supply their own:
 * environment variables, the home folder, standard input, the terminal (for a password without echo; {@code null}
 * when there is none), the clock that decides whether a token has expired, and the offline audit verifier
 * ({@code null} when this build has none).
 */
public record CliEnvironment(Map<String, String> env, Path userHome, InputStream stdin, Console console, Clock clock,
                             OfflineAuditVerifier offlineAuditVerifier) {

    public CliEnvironment {
        env = Map.copyOf(env);
        Objects.requireNonNull(userHome, "userHome");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(clock, "clock");
    }

    /** The real process: {@code System.getenv()}, {@code user.home}, {@code System.in}, {@code System.console()}. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), System.in, terminal(),
                Clock.systemUTC(), null);
    }

    /**
     * {@code System.console()} only if it is a real terminal. Why the reflection: on JDK 22 to 24 the console is
     * non-null even with redirected streams, and {@code Console.isTerminal()} (JDK 22+) is not in our Java 21 API.
     */
    private static Console terminal() {
        Console c = System.console();
        if (c == null) return null;
        try {
            Object terminal = Console.class.getMethod("isTerminal").invoke(c);
            return Boolean.TRUE.equals(terminal) ? c : null;
        } catch (ReflectiveOperationException | RuntimeException java21) {
            return c; // Java 21: System.console() is already null without a terminal
        }
    }

    public CliEnvironment withOfflineAuditVerifier(OfflineAuditVerifier verifier) {
        return new CliEnvironment(env, userHome, stdin, console, clock, verifier);
    }

    /** A variable's value, or {@code null} when unset or blank. */
    public String getenv(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}

package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Base of the client commands: resolves which broker to talk to and with which token, and prints through picocli's
 * writers. Failures are thrown and turned into exit codes by {@link ClientExitCodes}.
 */
abstract class ClientCommand implements Callable<Integer> {
    static final String NOT_LOGGED_IN = "not logged in / token expired — run sallyport login";

    protected final CliEnvironment environment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    ClientCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /** The connection options of this command (each command declares its own {@code @Mixin}). */
    abstract ConnectionOptions connection();

    CliHome home() {
        return CliHome.of(environment);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The valid (not expired) saved session, or exit 2. */
    Session requireSession() {
        Session s = home().session().orElseThrow(() -> new UnusableInputException(NOT_LOGGED_IN));
        if (s.accessToken() == null || s.accessToken().isBlank() || s.expiredAt(environment.clock().instant())) {
            throw new UnusableInputException(NOT_LOGGED_IN);
        }
        return s;
    }

    /**
     * A client for the logged-in broker. An explicit {@code --url} must name the broker the token came from: the token
     * is never sent anywhere else.
     */
    ApiClient authenticatedClient() {
        Session s = requireSession();
        URI sessionUrl = ApiClient.parseUrl(s.url());
        ConnectionOptions c = connection();
        if (c.url != null && !ApiClient.parseUrl(c.url).equals(sessionUrl)) {
            throw new UnusableInputException("--url: logged in to " + sessionUrl + ", not " + ApiClient.parseUrl(c.url)
                    + " — run sallyport login --url " + c.url);
        }
        Path ca = c.caFile != null ? c.caFile : s.caFile() == null ? null : Path.of(s.caFile());
        return ApiClient.create(sessionUrl.toString(), ca, s.accessToken());
    }

    /** The broker URL for a command without a session: --url, else the saved one, else $SALLYPORT_URL, else the default. */
    String resolveUrl() {
        if (connection().url != null) return connection().url;
        var saved = savedSession().map(Session::url);
        if (saved.isPresent()) return saved.get();
        String env = environment.getenv(ConnectionOptions.ENV_URL);
        return env != null ? env : ConnectionOptions.DEFAULT_URL;
    }

    /** The saved session even if expired; empty if none or unreadable (a fresh login replaces it anyway). */
    java.util.Optional<Session> savedSession() {
        try {
            return home().session();
        } catch (UnusableInputException unreadable) {
            return java.util.Optional.empty();
        }
    }

    void printJson(JsonNode node) {
        try {
            out().println(ApiClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }

    /** A one-line warning on stderr; the command goes on. */
    void warn(String message) {
        spec.commandLine().getErr().println("warning: " + message);
        spec.commandLine().getErr().flush();
    }

    void println(String line) {
        out().println(line);
        out().flush();
    }
}

package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sallyport login}: exchanges a password for a short-lived token and remembers it in the session file. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Log in to a broker with your user name and password.",
                "The password is asked for without echo, or read from standard input with --password-stdin.",
                "The token the broker returns is saved in $SALLYPORT_HOME/session.json (default ~/.sallyport),"
                        + " readable only by you, and used by the other commands until it expires.",
                "Vendor technicians also get an SSH certificate, valid no longer than the token, for the broker's SSH"
                        + " gateway: login makes a key pair $SALLYPORT_HOME/id_ed25519 (or uses --key), has the broker"
                        + " sign it into id_ed25519-cert.pub, and pins the gateway's host key in $SALLYPORT_HOME/known_hosts.",
                "Then connect with sallyport connect TARGET, or write a config for plain ssh with sallyport ssh-config."})
public final class LoginCommand extends ClientCommand {
    static final String VENDOR_TECHNICIAN = "vendor-technician";
    private static final String LOGGED_IN_BUT = "logged in, but no SSH certificate: ";

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-u", "--user"}, paramLabel = "USER",
            description = "Your user name on the broker (local accounts). Without it, login asks the broker how to sign in"
                    + " and uses single sign-on when the broker has it.")
    String user;

    @Option(names = "--sso", description = "Sign in through the broker's identity provider (e.g. Keycloak) in a browser:"
            + " login prints an address and a code to enter there (OAuth device authorization grant), then waits.")
    boolean sso;

    /** How long to wait between polls of the identity provider (tests shorten it). */
    DeviceAuthorization.Pause pause = d -> Thread.sleep(d.toMillis());

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input"
            + " (for scripts: printf '%%s\\n' \"$PW\" | sallyport login ...).")
    boolean passwordStdin;

    @Option(names = "--key", paramLabel = "FILE",
            description = "Vendor technicians: your own SSH private key to certify instead of $SALLYPORT_HOME/id_ed25519"
                    + " (FILE.pub must sit beside it; the certificate is written to FILE-cert.pub).")
    Path key;

    public LoginCommand() {
        this(CliEnvironment.system());
    }

    public LoginCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() {
        URI url = ApiClient.parseUrl(resolveUrl());
        Path ca = connection.caFile != null ? connection.caFile.toAbsolutePath() : savedCaFor(url);
        if (sso && user != null) throw new UnusableInputException("--sso and --user: choose one (--user is for local accounts)");
        JsonNode response = sso || user == null ? singleSignOn(url, ca) : passwordLogin(url, ca);
        return finish(url, ca, response);
    }

    /**
     * Device authorization grant against the provider the broker names; the answer has the shape of the password
     * login's ({@code accessToken}, {@code expiresIn}, {@code user} from {@code GET /api/me}).
     */
    private JsonNode singleSignOn(URI url, Path ca) {
        JsonNode config;
        try (ApiClient api = ApiClient.create(url.toString(), ca, null)) {
            config = api.get("/api/auth/config");
        } catch (ApiException e) {
            if (e.status() == 404 && !sso) throw new UnusableInputException("--user: required (this broker has no single sign-on)");
            throw e;
        }
        if (!"oidc".equals(config.path("kind").asText())) {
            if (sso) throw new UnusableInputException("--sso: the broker at " + url + " uses local accounts; use --user");
            throw new UnusableInputException("--user: required (the broker at " + url + " uses local accounts)");
        }
        String issuer = config.path("issuer").asText(null);
        String clientId = config.path("clientId").asText(null);
        if (issuer == null || clientId == null) throw new OperationFailedException("broker at " + url + " names no issuer or client for single sign-on");
        DeviceAuthorization.Tokens tokens = new DeviceAuthorization(pause).run(issuer, clientId, this::println);
        JsonNode me;
        try (ApiClient api = ApiClient.create(url.toString(), ca, tokens.accessToken())) {
            me = api.get("/api/me");
        }
        var n = ApiClient.MAPPER.createObjectNode();
        n.put("accessToken", tokens.accessToken());
        n.put("expiresIn", tokens.expiresInSeconds());
        n.set("user", me);
        return n;
    }

    private JsonNode passwordLogin(URI url, Path ca) {
        char[] password = readPassword(url);
        JsonNode response;
        try (ApiClient api = ApiClient.create(url.toString(), ca, null)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("username", user);
            body.put("password", new String(password));
            response = api.post("/api/auth/login", body);
        } finally {
            Arrays.fill(password, '\0');
        }
        return response;
    }

    private Integer finish(URI url, Path ca, JsonNode response) {
        String token = response.path("accessToken").asText(null);
        if (token == null || token.isBlank()) {
            throw new OperationFailedException("broker at " + url + " answered the login without an accessToken");
        }
        Instant expiresAt = expiresAt(response);
        String username = response.path("user").path("username").asText(user);
        if (username == null) throw new OperationFailedException("broker at " + url + " did not say who signed in");
        Session session = new Session(url.toString(), username, token, expiresAt, ca == null ? null : ca.toString());
        home().save(session);

        List<String> roles = new ArrayList<>();
        response.path("user").path("roles").forEach(r -> roles.add(r.asText()));
        println("Logged in to " + url + " as " + username + " (" + (roles.isEmpty() ? "no roles" : String.join(", ", roles))
                + "); token valid until " + expiresAt);
        if (roles.contains(VENDOR_TECHNICIAN)) {
            enrolForSsh(session, ca);
        } else if (key != null) {
            warn("--key ignored: only vendor technicians get SSH certificates");
        }
        return ClientExitCodes.OK;
    }

    /**
     * Certifies the key pair and adds the gateway to the session. The token is already saved: a failure here says so,
     * and a broker without the certificate endpoint (404, older than the SSH gateway) is only a warning.
     */
    private void enrolForSsh(Session session, Path ca) {
        SshAccess access;
        try {
            SshKeyPair pair = key != null ? SshKeyPair.existing(key) : SshKeyPair.ensureDefault(home(), environment);
            try (ApiClient api = ApiClient.create(session.url(), ca, session.accessToken())) {
                access = new SshEnrolment(home()).enrol(api, pair);
            }
        } catch (ApiException e) {
            if (e.status() == 404) {
                warn("broker at " + session.url() + " issues no SSH certificates (older broker); sallyport connect and"
                        + " ssh-config will not work with it");
                return;
            }
            String detail = "publicKey".equals(e.field()) ? (key != null ? "--key " + key + ": " : "") + e.detail() : e.detail();
            throw new ApiException(e.status(), LOGGED_IN_BUT + detail, e.field());
        } catch (UnusableInputException e) {
            throw new UnusableInputException(LOGGED_IN_BUT + e.getMessage(), e);
        } catch (OperationFailedException e) {
            throw new OperationFailedException(LOGGED_IN_BUT + e.getMessage(), e);
        }
        home().save(session.withSsh(access));
        println("SSH certificate for " + access.principal() + " valid until " + access.validBefore());
    }

    private Path savedCaFor(URI url) {
        return savedSession()
                .filter(s -> s.caFile() != null && url.toString().equals(s.url()))
                .map(s -> Path.of(s.caFile()))
                .orElse(null);
    }

    private Instant expiresAt(JsonNode response) {
        String at = response.path("expiresAt").asText(null);
        if (at != null) {
            try {
                return Instant.parse(at);
            } catch (DateTimeParseException e) {
                // fall back to expiresIn below
            }
        }
        if (response.path("expiresIn").isNumber()) {
            return environment.clock().instant().plusSeconds(response.path("expiresIn").asLong());
        }
        throw new OperationFailedException("broker answered the login without expiresAt or expiresIn");
    }

    private char[] readPassword(URI url) {
        if (passwordStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) throw new UnusableInputException("--password-stdin: standard input is empty");
                return line.toCharArray();
            } catch (IOException e) {
                throw new UnusableInputException("--password-stdin: cannot read standard input: " + e.getMessage(), e);
            }
        }
        if (environment.console() == null) {
            throw new UnusableInputException("no terminal to ask for the password; use --password-stdin");
        }
        char[] pw = environment.console().readPassword("Password for %s at %s: ", user, url);
        if (pw == null || pw.length == 0) throw new UnusableInputException("no password given");
        return pw;
    }
}

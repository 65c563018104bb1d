package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Single sign-on from a terminal: the OAuth 2.0 device authorization grant (RFC 8628) against the broker's identity
 * provider, with PKCE (RFC 7636, S256) so that only this process can collect the tokens.
 *
 * <p>Steps: discovery of the issuer the broker names in {@code GET /api/auth/config} (its {@code issuer} must match);
 * a device authorization request; the verification URI and user code shown to the user; polling of the token
 * endpoint at the provider's interval ({@code slow_down} adds 5 s) until the user approves, denies, or the code
 * expires.
 *
 * <h2>Security guarantees</h2>
 * Tokens are never printed; only the user code and the provider's verification URI are. Provider URLs from
 * discovery must share the issuer's scheme and host, so a tampered discovery document cannot send the device code
 * elsewhere. Restrictions: no refresh; when the access token expires, log in again.
 */
final class DeviceAuthorization {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    /** What the provider answered at the end. */
    record Tokens(String accessToken, long expiresInSeconds) {
        @Override
        public String toString() {
            return "Tokens[accessToken=***, expiresIn=" + expiresInSeconds + "]";
        }
    }

    /** Pauses between polls; tests may pass a shorter wait, production sleeps. */
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final HttpClient http;
    private final Pause pause;

    DeviceAuthorization(Pause pause) {
        this.http = HttpClient.newBuilder().connectTimeout(ApiClient.CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.pause = pause;
    }

    /**
     * Runs the grant; {@code show} receives the lines to print for the user.
     *
     * @throws OperationFailedException when the provider refuses, the user denies, or the code expires
     */
    Tokens run(String issuer, String clientId, Consumer<String> show) {
        JsonNode discovery = get(issuer + "/.well-known/openid-configuration");
        if (!issuer.equals(discovery.path("issuer").asText())) {
            throw new OperationFailedException("identity provider at " + issuer + " names another issuer in its discovery document");
        }
        String deviceEndpoint = sameOrigin(issuer, discovery.path("device_authorization_endpoint").asText(null), "device_authorization_endpoint");
        String tokenEndpoint = sameOrigin(issuer, discovery.path("token_endpoint").asText(null), "token_endpoint");

        String verifier = random(48);
        Map<String, String> start = new LinkedHashMap<>();
        start.put("client_id", clientId);
        start.put("scope", "openid");
        start.put("code_challenge_method", "S256");
        start.put("code_challenge", challenge(verifier));
        Answer device = post(deviceEndpoint, start);
        if (device.status != 200) throw refused("the device sign-in could not start", device.body);
        String deviceCode = device.body.path("device_code").asText(null);
        String userCode = device.body.path("user_code").asText(null);
        String uri = device.body.path("verification_uri").asText(null);
        if (deviceCode == null || userCode == null || uri == null) {
            throw new OperationFailedException("identity provider answered the device sign-in without device_code, user_code or verification_uri");
        }
        String complete = device.body.path("verification_uri_complete").asText(null);
        show.accept("To sign in, open " + uri + " in a browser and enter the code " + userCode);
        if (complete != null) show.accept("  (or open " + complete + ")");
        show.accept("Waiting for you to approve the sign-in...");

        long interval = Math.max(1, device.body.path("interval").asLong(5));
        long expiresIn = device.body.path("expires_in").asLong(600);
        long waited = 0;
        Map<String, String> poll = new LinkedHashMap<>();
        poll.put("client_id", clientId);
        poll.put("grant_type", GRANT);
        poll.put("device_code", deviceCode);
        poll.put("code_verifier", verifier);
        while (waited <= expiresIn) {
            try {
                pause.sleep(Duration.ofSeconds(interval));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted while waiting for the sign-in");
            }
            waited += interval;
            Answer r = post(tokenEndpoint, poll);
            if (r.status == 200) {
                String token = r.body.path("access_token").asText(null);
                if (token == null || token.isBlank()) throw new OperationFailedException("identity provider answered without an access_token");
                return new Tokens(token, r.body.path("expires_in").asLong(300));
            }
            switch (r.body.path("error").asText("")) {
                case "authorization_pending" -> { }
                case "slow_down" -> interval += 5;
                case "access_denied" -> throw new OperationFailedException("the sign-in was denied in the browser");
                case "expired_token" -> throw new OperationFailedException("the code " + userCode + " expired before it was approved; run login again");
                default -> throw refused("the identity provider refused the sign-in", r.body);
            }
        }
        throw new OperationFailedException("the code " + userCode + " expired before it was approved; run login again");
    }

    private record Answer(int status, JsonNode body) {}

    private JsonNode get(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(ApiClient.REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new OperationFailedException("GET " + url + " answered " + r.statusCode());
            return ApiClient.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new OperationFailedException("cannot reach the identity provider at " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted");
        }
    }

    private Answer post(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(ApiClient.REQUEST_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = ApiClient.MAPPER.readTree(r.body());
            } catch (IOException notJson) {
                json = ApiClient.MAPPER.createObjectNode();
            }
            return new Answer(r.statusCode(), json == null ? ApiClient.MAPPER.createObjectNode() : json);
        } catch (IOException e) {
            throw new OperationFailedException("cannot reach the identity provider at " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted");
        }
    }

    private static OperationFailedException refused(String what, JsonNode body) {
        String error = body.path("error").asText("unknown error");
        String description = body.path("error_description").asText("");
        return new OperationFailedException(what + ": " + error + (description.isEmpty() ? "" : " (" + description + ")"));
    }

    private static String sameOrigin(String issuer, String endpoint, String name) {
        if (endpoint == null) throw new OperationFailedException("identity provider at " + issuer + " has no " + name
                + " (is the device authorization grant enabled for the CLI client?)");
        URI i = URI.create(issuer);
        URI e = URI.create(endpoint);
        if (!i.getScheme().equals(e.getScheme()) || !i.getHost().equalsIgnoreCase(e.getHost()) || i.getPort() != e.getPort()) {
            throw new OperationFailedException(name + " " + endpoint + " is not on the issuer's host " + i.getHost());
        }
        return endpoint;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}

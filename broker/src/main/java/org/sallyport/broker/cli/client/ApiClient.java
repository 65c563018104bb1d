package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small client for the broker's REST API ({@code api/openapi.yaml}): JSON in and out via Jackson, bearer token,
 * and failures turned into {@link ApiException} (problem+json from the broker), {@link OperationFailedException}
 * (unreachable, TLS, garbled answer) or {@link UnusableInputException} (bad URL or CA file).
 *
 * <h2>Security guarantees</h2>
 * With a CA file the client trusts exactly the certificates in it and nothing from the JDK's default store; host
 * names are still verified. The token is sent only in the {@code Authorization} header and never appears in a
 * message.
 */
public final class ApiClient implements AutoCloseable {
    /** Why: a broker that has not answered the TCP handshake in 10 s is not going to; fail with a clear message. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Why: every API call is a small JSON exchange; the audit walk is the slowest and stays well below this. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final String token;
    private final HttpClient http;

    private ApiClient(URI base, String token, HttpClient http) {
        this.base = base;
        this.token = token;
        this.http = http;
    }

    /**
     * @param url    broker base URL, {@code http} or {@code https}
     * @param caFile PEM file with the CA certificate(s) to trust instead of the JDK's, or {@code null}
     * @param token  bearer token, or {@code null} for unauthenticated calls (login)
     */
    public static ApiClient create(String url, Path caFile, String token) {
        URI base = parseUrl(url);
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caFile != null) b.sslContext(trustingOnly(caFile));
        return new ApiClient(base, token, b.build());
    }

    /** Checks and normalises a broker URL ("--url"): absolute http(s), no trailing slash. */
    public static URI parseUrl(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw new UnusableInputException("--url: not a URL: " + url);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw new UnusableInputException("--url: expected http://HOST[:PORT] or https://HOST[:PORT], got " + url);
        }
        String s = u.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return URI.create(s);
    }

    /** An SSL context that trusts exactly the certificates in {@code caFile} (PEM, one or more). */
    static SSLContext trustingOnly(Path caFile) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(caFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new UnusableInputException("--ca: cannot read " + caFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new UnusableInputException("--ca: " + caFile + " is not a PEM certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) throw new UnusableInputException("--ca: no certificate in " + caFile);
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) trust.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new UnusableInputException("--ca: cannot use " + caFile + ": " + e.getMessage(), e);
        }
    }

    public URI base() {
        return base;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode get(String path, Map<String, ?> query) {
        String qs = query.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(String.valueOf(e.getValue())))
                .collect(Collectors.joining("&"));
        return send("GET", qs.isEmpty() ? path : path + "?" + qs, null);
    }

    /**
     * Streams a GET's body into {@code out} (for large downloads: no timeout on the body, only on the connection),
     * reporting bytes received to {@code progress}. A non-2xx answer throws as {@link #get} does.
     */
    public long download(String path, Map<String, ?> query, java.io.OutputStream out, java.util.function.LongConsumer progress) {
        String qs = query.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(String.valueOf(e.getValue())))
                .collect(Collectors.joining("&"));
        String full = qs.isEmpty() ? path : path + "?" + qs;
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + full)).GET();
        if (token != null) rb.header("Authorization", "Bearer " + token);
        HttpResponse<InputStream> response;
        try {
            response = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new OperationFailedException("cannot reach broker at " + base + ": " + connectReason(e), e);
        } catch (IOException e) {
            throw new OperationFailedException("cannot reach broker at " + base + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while calling broker at " + base, e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                byte[] body = in.readNBytes(64 * 1024);
                handle("GET", full, new HttpResponse<byte[]>() {
                    public int statusCode() { return response.statusCode(); }
                    public HttpRequest request() { return response.request(); }
                    public java.util.Optional<HttpResponse<byte[]>> previousResponse() { return java.util.Optional.empty(); }
                    public java.net.http.HttpHeaders headers() { return response.headers(); }
                    public byte[] body() { return body; }
                    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return response.sslSession(); }
                    public URI uri() { return response.uri(); }
                    public HttpClient.Version version() { return response.version(); }
                });
            }
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                total += n;
                progress.accept(total);
            }
            return total;
        } catch (IOException e) {
            throw new OperationFailedException("the download from " + base + " broke off: " + reason(e)
                    + " (nothing was kept)", e);
        }
    }

    /** POST with a JSON body ({@code null}: no body). */
    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    /** Encodes one path segment, e.g. a request id. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Ordered query parameters; null values are left out. */
    public static Map<String, Object> query(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    private JsonNode send(String method, String path, Object body) {
        URI uri = URI.create(base + path);
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        if (token != null) rb.header("Authorization", "Bearer " + token);
        if (body != null) {
            byte[] json;
            try {
                json = MAPPER.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode request body", e);
            }
            rb.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(json));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new OperationFailedException("cannot reach broker at " + base + ": no answer within "
                    + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new OperationFailedException("cannot reach broker at " + base + ": " + connectReason(e), e);
        } catch (HttpTimeoutException e) {
            throw new OperationFailedException("broker at " + base + " did not answer " + method + " " + pathOnly(path)
                    + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (SSLException e) {
            throw new OperationFailedException("TLS with broker at " + base + " failed: " + reason(e)
                    + " (if the broker uses a private CA, pass --ca FILE)", e);
        } catch (IOException e) {
            throw new OperationFailedException("cannot reach broker at " + base + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while calling broker at " + base, e);
        }
        return handle(method, path, response);
    }

    private JsonNode handle(String method, String path, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] body = response.body();
        if (status >= 200 && status < 300) {
            if (body.length == 0) return MAPPER.nullNode();
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new OperationFailedException("broker at " + base + " sent malformed JSON for " + method + " "
                        + pathOnly(path) + " (HTTP " + status + ")", e);
            }
        }
        String detail = null;
        String field = null;
        try {
            JsonNode problem = body.length == 0 ? null : MAPPER.readTree(body);
            if (problem != null && problem.isObject()) {
                detail = text(problem, "detail");
                if (detail == null) detail = text(problem, "title");
                field = text(problem, "field");
            }
        } catch (IOException notJson) {
            // an error page from a proxy or load balancer: fall back to the status line below
        }
        if (detail == null) detail = "broker at " + base + " answered HTTP " + status + " to " + method + " " + pathOnly(path);
        throw new ApiException(status, detail, field);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** The JDK's connect failures often carry no message at all; name the usual causes in words. */
    private String connectReason(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host " + base.getHost();
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        return "connection refused";
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) t = t.getCause();
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}

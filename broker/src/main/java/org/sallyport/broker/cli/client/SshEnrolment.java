package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Gets a vendor technician's key pair certified by the broker ({@code POST /api/ssh/certificate}) and writes what the
 * stock OpenSSH client needs: the certificate at {@code KEY-cert.pub} and {@code known_hosts} pinning the gateway.
 *
 * <h2>Security guarantees</h2>
 * Everything the broker answers is checked before it is written: one line each for the certificate and host key (so no
 * answer can add a line such as {@code @cert-authority} to known_hosts), a host name and principal of plain characters
 * (so none can become another ssh option), a port in range and a parseable expiry. Both files are replaced atomically.
 */
final class SshEnrolment {
    static final String CERTIFICATE_PATH = "/api/ssh/certificate";

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}");
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._@-]{0,127}");
    private static final Pattern KEY_LINE = Pattern.compile("[A-Za-z0-9@._-]+ [A-Za-z0-9+/=]+( [^\\r\\n]*)?");

    private final CliHome home;

    SshEnrolment(CliHome home) {
        this.home = home;
    }

    /** Certifies {@code pair} and writes the certificate and known_hosts files; the answer is the session's SSH part. */
    SshAccess enrol(ApiClient api, SshKeyPair pair) {
        JsonNode r = api.post(CERTIFICATE_PATH, Map.of("publicKey", pair.publicKeyLine()));
        String certificate = oneLine(r, "certificate");
        String principal = matching(r, "principal", PRINCIPAL);
        String host = matching(r, "sshHost", HOST);
        int port = r.path("sshPort").asInt(-1);
        if (!r.path("sshPort").isIntegralNumber() || port < 1 || port > 65535) throw garbled("sshPort", r.path("sshPort").toString());
        String hostKey = oneLine(r, "hostKey");
        if (!KEY_LINE.matcher(hostKey).matches()) throw garbled("hostKey", hostKey);
        Instant validBefore;
        try {
            validBefore = Instant.parse(oneLine(r, "validBefore"));
        } catch (DateTimeParseException e) {
            throw garbled("validBefore", r.path("validBefore").asText());
        }

        Path knownHosts = home.knownHostsFile().toAbsolutePath();
        try {
            home.writeAtomically(pair.certificate(), (certificate + "\n").getBytes(StandardCharsets.UTF_8));
            home.writeAtomically(knownHosts, (knownHostsName(host, port) + " " + hostKeyOnly(hostKey) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UnusableInputException("cannot save the SSH certificate: " + e.getMessage(), e);
        }
        return new SshAccess(principal, host, port, pair.privateKey().toString(), pair.certificate().toString(),
                knownHosts.toString(), validBefore);
    }

    /** The name ssh looks up in known_hosts: {@code HOST} on port 22, else {@code [HOST]:PORT}. */
    static String knownHostsName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** {@code TYPE BASE64} without the comment, which known_hosts does not need. */
    private static String hostKeyOnly(String line) {
        String[] parts = line.split(" ");
        return parts[0] + " " + parts[1];
    }

    private static String oneLine(JsonNode r, String field) {
        String v = r.path(field).isTextual() ? r.path(field).asText().strip() : null;
        if (v == null || v.isEmpty() || v.contains("\n") || v.contains("\r")) throw garbled(field, r.path(field).toString());
        return v;
    }

    private static String matching(JsonNode r, String field, Pattern pattern) {
        String v = oneLine(r, field);
        if (!pattern.matcher(v).matches()) throw garbled(field, v);
        return v;
    }

    private static OperationFailedException garbled(String field, String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return new OperationFailedException("broker answered " + CERTIFICATE_PATH + " with an unusable " + field + ": " + shown);
    }
}

package org.sallyport.broker.cli.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a vendor technician reaches the broker's SSH gateway with the stock OpenSSH client, as learnt at login: the
 * certificate's principal (the broker user name), the gateway's address, and the absolute paths of the key pair, its
 * certificate and the known_hosts file pinning the gateway. Saved in {@code session.json} under {@code "ssh"}.
 *
 * <p>The target is chosen in the SSH user name: {@code PRINCIPAL+TARGET}, e.g. {@code tech+cam-anz-01}.
 *
 * <h2>Security guarantees</h2>
 * {@link #options()} always turns off agent and X11 forwarding and every port forwarding, uses only the given key
 * ({@code IdentitiesOnly}), and accepts the gateway only with the pinned host key ({@code StrictHostKeyChecking yes}).
 * Paths are escaped for ssh's {@code %} tokens and quoted when they contain spaces, so a file name is never read as
 * another option.
 *
 * <h2>Restrictions</h2>
 * Paths containing a double quote, {@code ${} or a control character are refused: ssh's configuration syntax has no
 * way to write them literally.
 */
public record SshAccess(String principal, String host, int port, String key, String certificate, String knownHosts,
                        Instant validBefore) {
    /** A target id as the broker allows them; also keeps a Host block or ssh argument from carrying anything else. */
    static final Pattern TARGET_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** Why: the gateway's keepalive notices a dead network within a minute instead of hanging the terminal. */
    static final int SERVER_ALIVE_INTERVAL_SECONDS = 15;

    /** One ssh option, its value already written in ssh's configuration syntax (for a config line or {@code -o}). */
    public record Option(String name, String value) {}

    public boolean expiredAt(Instant now) {
        return validBefore == null || !now.isBefore(validBefore);
    }

    /** The SSH user name that selects {@code target} at the gateway. */
    public String sshUser(String target) {
        return principal + "+" + target;
    }

    /**
     * The options for every gateway connection besides host, port and user, in the order they are written:
     * IdentityFile, CertificateFile, IdentitiesOnly, UserKnownHostsFile, StrictHostKeyChecking, ForwardAgent,
     * ForwardX11, ClearAllForwardings, ServerAliveInterval.
     */
    public List<Option> options() {
        List<Option> o = new ArrayList<>();
        o.add(new Option("IdentityFile", configPath(key)));
        o.add(new Option("CertificateFile", configPath(certificate)));
        o.add(new Option("IdentitiesOnly", "yes"));
        o.add(new Option("UserKnownHostsFile", configPath(knownHosts)));
        o.add(new Option("StrictHostKeyChecking", "yes"));
        o.add(new Option("ForwardAgent", "no"));
        o.add(new Option("ForwardX11", "no"));
        o.add(new Option("ClearAllForwardings", "yes"));
        o.add(new Option("ServerAliveInterval", Integer.toString(SERVER_ALIVE_INTERVAL_SECONDS)));
        return o;
    }

    /** The key path as the argument of {@code ssh -i} (no config parsing there, but {@code %} tokens still apply). */
    public String identityArgument() {
        return escapeTokens(checkedPath(key));
    }

    /** {@code target} if it is a valid target id, else exit 2 naming it. */
    static String requireTargetId(String target) {
        if (target == null || !TARGET_ID.matcher(target).matches()) {
            throw new UnusableInputException("TARGET: not a target id (lowercase letters, digits, '.', '_', '-'; at most 63): "
                    + target + (target != null && target.contains("+") ? " — give only the target; sallyport adds your user name" : ""));
        }
        return target;
    }

    private static String configPath(String path) {
        String escaped = escapeTokens(checkedPath(path));
        return escaped.chars().anyMatch(Character::isWhitespace) ? "\"" + escaped + "\"" : escaped;
    }

    private static String escapeTokens(String path) {
        return path.replace("%", "%%");
    }

    private static String checkedPath(String path) {
        if (path == null || path.isEmpty()) throw new UnusableInputException("session has no SSH key path; run sallyport login");
        if (path.contains("\"") || path.contains("${") || path.chars().anyMatch(Character::isISOControl)) {
            throw new UnusableInputException(path + ": ssh cannot be given this path (it contains a double quote, ${ or a"
                    + " control character); use --key with another path or set SALLYPORT_HOME");
        }
        return path;
    }
}

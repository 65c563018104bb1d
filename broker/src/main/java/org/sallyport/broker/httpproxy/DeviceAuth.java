package org.sallyport.broker.httpproxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device credential the broker adds to requests for one target: HTTP Basic (RFC 7617) or Digest (RFC 7616,
 * MD5 / SHA-256, {@code qop=auth}), learned from the device's first challenge and then sent pre-emptively (digest
 * reuses the server nonce with an increasing nonce count until the device says it is stale).
 *
 * <p>Security guarantees: the password is held only here (from the vault) and only ever written into the upstream
 * request's Authorization header; never into a log line, the recording (which stores the browser's request, not
 * the upstream one) or an exception message.
 *
 * <p>Restrictions: no {@code auth-int}, no {@code userhash}; Digest is computed with the JDK's MessageDigest
 * because no maintained Vert.x client does it (the hash construction is fixed by the RFC, not a cipher of ours).
 *
 * <p>Threading: synchronized; shared by all sessions on a target.
 */
public final class DeviceAuth {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    private final String username;
    private final char[] password;
    private final SecureRandom random = new SecureRandom();
    private String scheme; // null until the device challenged us: "basic" or "digest"
    private Map<String, String> challenge;
    private long nc;

    public DeviceAuth(String username, char[] password) {
        this.username = username;
        this.password = password.clone();
    }

    /** The Authorization value for a request, or null while the device's scheme is unknown. */
    public synchronized String authorization(String method, String uri) {
        if (scheme == null) return null;
        if (scheme.equals("basic")) {
            String up = username + ":" + new String(password);
            return "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
        }
        return digest(method, uri);
    }

    /**
     * Learns from a 401's WWW-Authenticate values.
     *
     * @return true if a retry with the new credential is worth it (a scheme we can answer)
     */
    public synchronized boolean challenged(Iterable<String> wwwAuthenticate) {
        String basic = null;
        for (String h : wwwAuthenticate) {
            String lower = h.trim().toLowerCase(Locale.ROOT);
            if (lower.startsWith("digest ")) {
                Map<String, String> p = new LinkedHashMap<>();
                Matcher m = PARAM.matcher(h.trim().substring(7));
                while (m.find()) p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
                String alg = p.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
                if (!alg.equals("MD5") && !alg.equals("SHA-256")) continue;
                String qop = p.get("qop");
                if (qop != null && !qop.toLowerCase(Locale.ROOT).contains("auth")) continue;
                scheme = "digest";
                challenge = p;
                nc = 0;
                return true;
            }
            if (lower.startsWith("basic")) basic = h;
        }
        if (basic != null) {
            scheme = "basic";
            return true;
        }
        return false;
    }

    private String digest(String method, String uri) {
        String realm = challenge.getOrDefault("realm", "");
        String nonce = challenge.getOrDefault("nonce", "");
        String alg = challenge.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
        boolean qop = challenge.containsKey("qop");
        String ha1 = hash(alg, username + ":" + realm + ":" + new String(password));
        String ha2 = hash(alg, method + ":" + uri);
        StringBuilder h = new StringBuilder("Digest username=\"").append(username).append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri).append("\", algorithm=").append(alg);
        if (qop) {
            String ncHex = String.format("%08x", ++nc);
            byte[] c = new byte[8];
            random.nextBytes(c);
            String cnonce = HexFormat.of().formatHex(c);
            h.append(", qop=auth, nc=").append(ncHex).append(", cnonce=\"").append(cnonce).append("\", response=\"")
                    .append(hash(alg, ha1 + ":" + nonce + ":" + ncHex + ":" + cnonce + ":auth:" + ha2)).append('"');
        } else {
            h.append(", response=\"").append(hash(alg, ha1 + ":" + nonce + ":" + ha2)).append('"');
        }
        if (challenge.containsKey("opaque")) h.append(", opaque=\"").append(challenge.get("opaque")).append('"');
        return h.toString();
    }

    private static String hash(String alg, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg.equals("SHA-256") ? "SHA-256" : "MD5")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "DeviceAuth[" + username + ", " + scheme + "]"; // never the password
    }
}

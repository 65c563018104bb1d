package org.sallyport.recorder.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and lowercase hex helpers (JDK only). Thread-safe. */
public final class Hashes {
    private static final HexFormat HEX = HexFormat.of();

    private Hashes() {}

    /** SHA-256 over the concatenation of {@code parts} (no separators: callers must encode unambiguously). */
    public static byte[] sha256(byte[]... parts) {
        MessageDigest md = newSha256();
        for (byte[] p : parts) md.update(p);
        return md.digest();
    }

    /** Lowercase hex. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Parses hex (either case); throws {@link IllegalArgumentException} on odd length or a non-hex character. */
    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}

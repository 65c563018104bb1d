package org.sallyport.broker.gateway;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.sallyport.broker.error.InvalidInputException;

/**
 * Signs short-lived OpenSSH user certificates for vendor technicians.
 *
 * <p>Security guarantees: one principal (the user name), valid from one minute ago (clock skew) until at
 * most the login token's expiry, and only the {@code permit-pty} extension: no agent, X11 or port
 * forwarding is permitted by the certificate (the gateway refuses them regardless).
 */
public final class UserCertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final KeyPair ca;
    private final Clock clock;

    public UserCertificateAuthority(KeyPair ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    public PublicKey publicKey() {
        return ca.getPublic();
    }

    /** Parses an OpenSSH public key line; names the field on failure. */
    public static PublicKey parsePublicKey(String line) {
        if (line == null || line.isBlank()) throw new InvalidInputException("publicKey", "required: an OpenSSH public key line");
        try {
            PublicKey key = PublicKeyEntry.parsePublicKeyEntry(line.strip()).resolvePublicKey(null, Map.of(), null);
            if (key == null || key instanceof OpenSshCertificate) throw new IllegalArgumentException("not a plain key");
            String type = KeyUtils.getKeyType(key);
            if (!List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa").contains(type)) {
                throw new IllegalArgumentException(type);
            }
            if ("ssh-rsa".equals(type) && KeyUtils.getKeySize(key) < 3072) {
                throw new InvalidInputException("publicKey", "RSA keys must have at least 3072 bits");
            }
            return key;
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidInputException("publicKey", "not a supported OpenSSH public key (ssh-ed25519, ecdsa-sha2-nistp*, ssh-rsa >= 3072)");
        }
    }

    /** A certificate for {@code principal} valid until {@code notAfter}. */
    public OpenSshCertificate sign(PublicKey userKey, String principal, Instant notAfter) {
        Instant now = clock.instant();
        if (!notAfter.isAfter(now)) throw new IllegalArgumentException("certificate would already be expired");
        try {
            return OpenSshCertificateBuilder.userCertificate()
                    .publicKey(userKey)
                    .serial(RANDOM.nextLong() & Long.MAX_VALUE)
                    .id("sallyport:" + principal + ":" + now.getEpochSecond())
                    .principals(List.of(principal))
                    .validAfter(now.minus(Duration.ofMinutes(1)))
                    .validBefore(notAfter)
                    .extension("permit-pty", "")
                    .sign(ca, KeyUtils.getKeyType(ca.getPublic()).startsWith("ecdsa") ? "ecdsa-sha2-nistp256" : null);
        } catch (Exception e) {
            throw new IllegalStateException("certificate signing failed", e);
        }
    }

    public static String toOpenSsh(OpenSshCertificate cert) {
        return PublicKeyEntry.toString(cert);
    }
}

package org.sallyport.recorder.crypto;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key (RFC 8032), signing with Bouncy Castle's lightweight API (no JCE provider is
 * registered).
 *
 * <h2>Security guarantees</h2>
 * Signatures are deterministic Ed25519: no per-signature randomness that a weak RNG could leak the key
 * through. {@link #toString()} never shows key material; {@link #toPem()} is the only way out.
 *
 * <h2>Restrictions</h2>
 * The private key lives on the Java heap and cannot be wiped (the JVM may copy it). {@link #toPem()} returns
 * unencrypted PKCS#8: protect it with file permissions ({@link KeyFiles} writes mode 0600) or a key-wrapping
 * layer. No context/pre-hash variants (Ed25519ctx, Ed25519ph).
 *
 * <p>Immutable and thread-safe.
 */
public final class SigningKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ed25519PrivateKeyParameters key;
    private final VerifyingKey verifyingKey;

    private SigningKey(Ed25519PrivateKeyParameters key) {
        this.key = key;
        this.verifyingKey = VerifyingKey.fromRaw(key.generatePublicKey().getEncoded());
    }

    /** A fresh key from {@link SecureRandom}. */
    public static SigningKey generate() {
        return new SigningKey(new Ed25519PrivateKeyParameters(RANDOM));
    }

    /** From the 32-byte RFC 8032 private key (seed). */
    public static SigningKey fromSeed(byte[] seed32) {
        Objects.requireNonNull(seed32, "seed32");
        if (seed32.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new KeyFormatException("Ed25519 private key must be 32 bytes, got " + seed32.length);
        }
        return new SigningKey(new Ed25519PrivateKeyParameters(seed32, 0));
    }

    /**
     * Parses a PKCS#8 "PRIVATE KEY" PEM holding an Ed25519 key (RFC 8410; v1, or v2 with a public key that
     * must match). Throws {@link KeyFormatException} naming the problem.
     */
    public static SigningKey fromPem(String pem) {
        byte[] der = Pem.read(pem, "PRIVATE KEY");
        PrivateKeyInfo info;
        ASN1Encodable inner;
        try {
            info = PrivateKeyInfo.getInstance(der);
            inner = info.parsePrivateKey();
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("PRIVATE KEY is not a valid PKCS#8 PrivateKeyInfo structure", e);
        }
        if (!Pem.ED25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            throw new KeyFormatException("PRIVATE KEY algorithm is " + info.getPrivateKeyAlgorithm().getAlgorithm().getId()
                    + ", expected Ed25519 (" + Pem.ED25519.getId() + ")");
        }
        if (!(inner instanceof ASN1OctetString octets)) {
            throw new KeyFormatException("PRIVATE KEY Ed25519 key is not wrapped in an OCTET STRING (RFC 8410 CurvePrivateKey)");
        }
        byte[] seed = octets.getOctets();
        try {
            SigningKey k = fromSeed(seed);
            if (info.getPublicKeyData() != null
                    && !Arrays.equals(info.getPublicKeyData().getOctets(), k.verifyingKey.raw())) {
                throw new KeyFormatException("PRIVATE KEY embeds a public key that does not belong to its private key");
            }
            return k;
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Deterministic Ed25519 signature (64 bytes). */
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        Ed25519Signer signer = new Ed25519Signer(); // stateful: one per call keeps this class thread-safe
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    /** Same as {@code verifyingKey().keyId()}. */
    public String keyId() {
        return verifyingKey.keyId();
    }

    /** Unencrypted PKCS#8 v1 "PRIVATE KEY" PEM (RFC 8410), as {@code openssl genpkey -algorithm ed25519} writes. */
    public String toPem() {
        byte[] seed = key.getEncoded();
        try {
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(Pem.ED25519), new DEROctetString(seed));
            return Pem.write("PRIVATE KEY", info.getEncoded("DER"));
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of an in-memory structure failed", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[Ed25519, keyId=" + keyId() + "]";
    }
}

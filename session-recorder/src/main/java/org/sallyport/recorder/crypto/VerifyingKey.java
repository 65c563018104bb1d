package org.sallyport.recorder.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 public key (RFC 8032, pure Ed25519 without context or pre-hash).
 *
 * <h2>Security guarantees</h2>
 * {@link #verify} returns normally only for a signature made by the matching {@link SigningKey} over exactly
 * these message bytes; every other outcome (wrong length, wrong key, altered message) throws
 * {@link InvalidSignatureException}. Verification uses Bouncy Castle's lightweight API, which rejects
 * non-canonical encodings of S.
 *
 * <h2>Restrictions</h2>
 * A key is trusted because of where it came from (a file the operator controls, an evidence bundle's pinned
 * key), not because it parses: {@link #fromPem} only checks the format. {@link #keyId} is a 64-bit label for
 * humans and for picking a key, not a security binding.
 *
 * <p>Immutable and thread-safe.
 */
public final class VerifyingKey {
    private final byte[] raw;
    private final String keyId;

    private VerifyingKey(byte[] raw) {
        if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new KeyFormatException("Ed25519 public key must be 32 bytes, got " + raw.length);
        }
        this.raw = raw.clone();
        this.keyId = Hashes.hex(Hashes.sha256(this.raw)).substring(0, 16);
    }

    /** From the 32 raw bytes (RFC 8032 encoding). */
    public static VerifyingKey fromRaw(byte[] raw) {
        return new VerifyingKey(Objects.requireNonNull(raw, "raw"));
    }

    /** Parses a "PUBLIC KEY" (SubjectPublicKeyInfo, RFC 8410) PEM; throws {@link KeyFormatException} naming the problem. */
    public static VerifyingKey fromPem(String pem) {
        byte[] der = Pem.read(pem, "PUBLIC KEY");
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new KeyFormatException("PUBLIC KEY is not a valid SubjectPublicKeyInfo structure", e);
        }
        if (!Pem.ED25519.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new KeyFormatException("PUBLIC KEY algorithm is " + spki.getAlgorithm().getAlgorithm().getId()
                    + ", expected Ed25519 (" + Pem.ED25519.getId() + ")");
        }
        if (spki.getAlgorithm().getParameters() != null) {
            throw new KeyFormatException("PUBLIC KEY Ed25519 algorithm identifier must not have parameters (RFC 8410)");
        }
        return new VerifyingKey(spki.getPublicKeyData().getOctets());
    }

    /**
     * Verifies {@code signature} over {@code message}.
     *
     * @throws InvalidSignatureException if it does not verify (including a signature of the wrong length)
     */
    public void verify(byte[] message, byte[] signature) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            throw new InvalidSignatureException("Ed25519 signature must be 64 bytes, got " + signature.length
                    + " (key " + keyId + ")");
        }
        Ed25519Signer verifier = new Ed25519Signer(); // stateful: one per call keeps this class thread-safe
        verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
        verifier.update(message, 0, message.length);
        if (!verifier.verifySignature(signature)) {
            throw new InvalidSignatureException("signature does not verify with key " + keyId);
        }
    }

    /** "PUBLIC KEY" PEM (SubjectPublicKeyInfo, RFC 8410), readable by OpenSSL. */
    public String toPem() {
        try {
            return Pem.write("PUBLIC KEY", new SubjectPublicKeyInfo(new AlgorithmIdentifier(Pem.ED25519), raw).getEncoded("DER"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("DER encoding of an in-memory structure failed", e);
        }
    }

    /** A copy of the 32 raw key bytes. */
    public byte[] raw() {
        return raw.clone();
    }

    /** First 16 lowercase hex characters of SHA-256 over {@link #raw()}. */
    public String keyId() {
        return keyId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingKey other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "VerifyingKey[Ed25519, keyId=" + keyId + "]";
    }
}

package org.sallyport.recorder.crypto;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * An inspector's X25519 key for receiving secrets sealed with HPKE (RFC 9180, base mode,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM), through Bouncy Castle's {@link HPKE}.
 *
 * <h2>Security guarantees</h2>
 * {@link #seal} output opens only with the matching private key and the same {@code info} and {@code aad}; any
 * change of the sealed bytes, info or aad makes {@link #open} throw {@link DecryptionException}. The sender is not
 * authenticated by HPKE base mode: authenticity comes from the evidence bundle's signature over the sealed bytes.
 *
 * <h2>Restrictions</h2>
 * The private key stays on the heap; {@link #privatePem()} is unencrypted PKCS#8 (write it with mode 0600).
 *
 * <p>Immutable and thread-safe (a new {@link HPKE} per call).
 */
public final class RecipientKey {
    /** id-X25519, RFC 8410 section 3. */
    static final ASN1ObjectIdentifier X25519 = new ASN1ObjectIdentifier("1.3.101.110");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Length of the HPKE encapsulated key for X25519. */
    public static final int ENC_BYTES = 32;

    private final X25519PublicKeyParameters publicKey;
    private final X25519PrivateKeyParameters privateKey; // null for a public-only key

    private RecipientKey(X25519PublicKeyParameters publicKey, X25519PrivateKeyParameters privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    public static RecipientKey generate() {
        X25519PrivateKeyParameters k = new X25519PrivateKeyParameters(RANDOM);
        return new RecipientKey(k.generatePublicKey(), k);
    }

    /** From the 32 raw public-key bytes (RFC 7748). */
    public static RecipientKey fromRawPublic(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != X25519PublicKeyParameters.KEY_SIZE) {
            throw new KeyFormatException("X25519 public key must be 32 bytes, got " + raw.length);
        }
        return new RecipientKey(new X25519PublicKeyParameters(raw, 0), null);
    }

    /** Parses a "PUBLIC KEY" PEM (SubjectPublicKeyInfo, RFC 8410) holding an X25519 key. */
    public static RecipientKey fromPublicPem(String pem) {
        byte[] der = Pem.read(pem, "PUBLIC KEY");
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new KeyFormatException("PUBLIC KEY is not a valid SubjectPublicKeyInfo structure", e);
        }
        if (!X25519.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new KeyFormatException("PUBLIC KEY algorithm is " + spki.getAlgorithm().getAlgorithm().getId()
                    + ", expected X25519 (" + X25519.getId() + "); create inspector keys with 'sallyport audit keygen'");
        }
        return fromRawPublic(spki.getPublicKeyData().getOctets());
    }

    /** Parses a PKCS#8 "PRIVATE KEY" PEM holding an X25519 key. */
    public static RecipientKey fromPrivatePem(String pem) {
        byte[] der = Pem.read(pem, "PRIVATE KEY");
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
            if (!X25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
                throw new KeyFormatException("PRIVATE KEY algorithm is " + info.getPrivateKeyAlgorithm().getAlgorithm().getId()
                        + ", expected X25519 (" + X25519.getId() + ")");
            }
            var k = (X25519PrivateKeyParameters) org.bouncycastle.crypto.util.PrivateKeyFactory.createKey(info);
            return new RecipientKey(k.generatePublicKey(), k);
        } catch (IOException | RuntimeException e) {
            if (e instanceof KeyFormatException k) throw k;
            throw new KeyFormatException("PRIVATE KEY is not a valid PKCS#8 X25519 key", e);
        }
    }

    public boolean hasPrivateKey() {
        return privateKey != null;
    }

    /** A copy of the 32 raw public-key bytes. */
    public byte[] rawPublic() {
        return publicKey.getEncoded();
    }

    /** First 16 lowercase hex characters of SHA-256 over the raw public key. */
    public String keyId() {
        return Hashes.hex(Hashes.sha256(rawPublic())).substring(0, 16);
    }

    public String publicPem() {
        try {
            return Pem.write("PUBLIC KEY", SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey).getEncoded("DER"));
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of an in-memory structure failed", e);
        }
    }

    public String privatePem() {
        if (privateKey == null) throw new IllegalStateException("public key only");
        try {
            return Pem.write("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey).getEncoded("DER"));
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of an in-memory structure failed", e);
        }
    }

    /** HPKE single-shot seal to this public key: returns {@code enc (32 bytes) || ciphertext || tag}. */
    public byte[] seal(byte[] plaintext, byte[] info, byte[] aad) {
        HPKE hpke = hpke();
        try {
            byte[][] out = hpke.seal(publicKey, info, aad, plaintext, null, null, null);
            byte[] sealed = Arrays.copyOf(out[1], out[1].length + out[0].length);
            System.arraycopy(out[0], 0, sealed, out[1].length, out[0].length);
            return sealed;
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("HPKE seal failed", e);
        }
    }

    /**
     * Opens what {@link #seal} produced for this key.
     *
     * @throws DecryptionException on a wrong key, altered bytes, or different info/aad
     */
    public byte[] open(byte[] sealed, byte[] info, byte[] aad) {
        if (privateKey == null) throw new IllegalStateException("opening needs the private key");
        if (sealed.length < ENC_BYTES + 16) throw new DecryptionException("HPKE box is " + sealed.length + " bytes, too short");
        HPKE hpke = hpke();
        byte[] enc = Arrays.copyOf(sealed, ENC_BYTES);
        byte[] ct = Arrays.copyOfRange(sealed, ENC_BYTES, sealed.length);
        try {
            return hpke.open(enc, new AsymmetricCipherKeyPair(publicKey, privateKey), info, aad, ct, null, null, null);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new DecryptionException("HPKE authentication failed: wrong recipient key, or the sealed bytes were altered");
        }
    }

    private static HPKE hpke() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
    }

    @Override
    public String toString() {
        return "RecipientKey[X25519, keyId=" + keyId() + (privateKey != null ? ", private" : "") + "]";
    }
}

package org.sallyport.recorder.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM authenticated encryption with the JDK's {@link Cipher} (hardware-accelerated, faster here than
 * Bouncy Castle's). Sealed format: {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}.
 *
 * <h2>Security guarantees</h2>
 * Confidentiality and integrity of the plaintext, and integrity of the associated data: {@link #open} returns
 * only what {@link #seal} sealed under the same key and the same associated data, and otherwise throws
 * {@link DecryptionException} whose message never contains key or plaintext bytes. Nothing is released
 * before the tag is checked.
 *
 * <h2>Restrictions</h2>
 * Nonces are random (96 bits): seal at most about 2^32 messages under one key, after which nonce collisions
 * become likely enough to matter (NIST SP 800-38D section 8.3); rotate the key well before. No replay or
 * reordering protection: bind position or context into the associated data. The key stays on the heap.
 *
 * <p>Immutable and thread-safe (a new {@link Cipher} per call).
 */
public final class SecretBox {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NO_AAD = new byte[0];

    private final SecretKeySpec key;

    private SecretBox(byte[] key32) {
        this.key = new SecretKeySpec(key32, "AES");
    }

    /** @throws IllegalArgumentException unless the key is exactly 32 bytes (AES-256) */
    public static SecretBox of(byte[] key32) {
        Objects.requireNonNull(key32, "key32");
        if (key32.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-256-GCM key must be 32 bytes, got " + key32.length);
        }
        return new SecretBox(key32.clone());
    }

    /** Encrypts with a fresh random nonce; {@code associatedData} may be null (= empty). */
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + c.getOutputSize(plaintext.length));
            c.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decrypts and authenticates; {@code associatedData} may be null (= empty).
     *
     * @throws DecryptionException on a wrong key, wrong associated data, any altered byte, or input too short
     */
    public byte[] open(byte[] sealed, byte[] associatedData) {
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length < NONCE_BYTES + TAG_BYTES) {
            throw new DecryptionException("sealed box is " + sealed.length + " bytes, shorter than the minimum "
                    + (NONCE_BYTES + TAG_BYTES) + " (nonce + tag)");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), associatedData);
            return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            // Deliberately no cause detail beyond the type: the provider message is fixed, but keep it that way.
            throw new DecryptionException("authentication failed: wrong key, wrong associated data, or altered ciphertext");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("decryption failed: " + e.getClass().getSimpleName());
        }
    }

    private Cipher cipher(int mode, byte[] nonce, byte[] associatedData) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        c.updateAAD(associatedData == null ? NO_AAD : associatedData);
        return c;
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM, key hidden]";
    }
}

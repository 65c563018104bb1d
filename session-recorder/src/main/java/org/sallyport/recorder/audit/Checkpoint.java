package org.sallyport.recorder.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import org.sallyport.recorder.crypto.InvalidSignatureException;
import org.sallyport.recorder.crypto.SigningKey;
import org.sallyport.recorder.crypto.VerifyingKey;

/**
 * A signed statement "the chain's head at {@code seq} is {@code headHash}".
 *
 * <p>Signed message (version 1): {@code str("sallyport-checkpoint-v1") || seq (8-byte BE) || str(headHash) ||
 * time (epoch microseconds, 8-byte BE) || str(keyId)}, with {@code str} as in {@link AuditChain}.
 * {@code signature} is the standard base64 (with padding) of the 64-byte Ed25519 signature.
 *
 * <h2>Security guarantees</h2>
 * {@link #verify} succeeds only if the holder of the private key for {@code keyId} signed exactly these
 * values; with the matching events it pins every event up to {@code seq}.
 *
 * <h2>Restrictions</h2>
 * A checkpoint says nothing about events after {@code seq}. {@code keyId} is a label (64 bits), checked
 * against the given key for a clear message; the signature is what binds.
 *
 * @param time truncated to microseconds
 */
public record Checkpoint(long seq, String headHash, Instant time, String keyId, String signature) {
    static final String TAG = "sallyport-checkpoint-v1";

    public Checkpoint {
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
        time = time.truncatedTo(ChronoUnit.MICROS);
    }

    /** Signs the head {@code (seq, headHash)} at {@code time} (truncated to microseconds) with {@code key}. */
    public static Checkpoint sign(long seq, String headHash, Instant time, SigningKey key) {
        Objects.requireNonNull(key, "key");
        Instant t = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MICROS);
        byte[] sig = key.sign(message(seq, headHash, t, key.keyId()));
        return new Checkpoint(seq, headHash, t, key.keyId(), Base64.getEncoder().encodeToString(sig));
    }

    /**
     * @throws InvalidSignatureException if {@code keyId} is not {@code key}'s, the signature is not base64, or
     *     it does not verify
     */
    public void verify(VerifyingKey key) {
        Objects.requireNonNull(key, "key");
        if (!keyId.equals(key.keyId())) {
            throw new InvalidSignatureException("checkpoint at event " + seq + " was signed by key " + keyId
                    + ", not by the verifying key " + key.keyId());
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("checkpoint at event " + seq + ": signature is not base64");
        }
        try {
            key.verify(message(seq, headHash, time, keyId), sig);
        } catch (InvalidSignatureException e) {
            throw new InvalidSignatureException("checkpoint at event " + seq + ": " + e.getMessage(), e);
        }
    }

    static byte[] message(long seq, String headHash, Instant time, String keyId) {
        return new Canonical()
                .str("tag", TAG)
                .i64(seq)
                .str("headHash", headHash)
                .micros(time)
                .str("keyId", keyId)
                .toBytes();
    }
}

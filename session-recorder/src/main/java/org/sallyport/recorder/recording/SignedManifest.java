package org.sallyport.recorder.recording;

import java.util.Objects;
import java.util.Optional;
import org.sallyport.recorder.crypto.VerifyingKey;

/**
 * A recording's manifest as signed (FORMAT.md, "Manifest record"): the exact bytes {@code M} the signature covers,
 * the signature, and the decoded {@link Manifest}. Lets an evidence bundle carry only the manifest of a recording
 * and still let anyone check the broker signed it.
 *
 * <h2>Security guarantees</h2>
 * {@link #decode} parses {@code M} itself, so the {@link #manifest()} fields are exactly what the signature covers;
 * {@link #verify} throws unless {@code signerKey} signed {@code M}.
 */
public record SignedManifest(Manifest manifest, byte[] encoded, byte[] signature) {
    public SignedManifest {
        Objects.requireNonNull(manifest, "manifest");
        encoded = encoded.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The manifest of a closed recording, unverified; empty if the file has none (cut off) or its framing breaks. */
    public static Optional<SignedManifest> of(RecordingSource source) {
        return RecordingScan.findManifest(source).map(p -> new SignedManifest(p.manifest(), p.encoded(), p.signature()));
    }

    /**
     * Parses {@code M} (the signed bytes).
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static SignedManifest decode(byte[] encoded, byte[] signature) {
        byte[] body = Format.manifestBody(encoded, signature);
        byte[] record = new byte[Format.PREFIX_BYTES + body.length];
        System.arraycopy(body, 0, record, Format.PREFIX_BYTES, body.length);
        try {
            Format.ParsedManifest p = Format.decodeManifestBody(record);
            return new SignedManifest(p.manifest(), p.encoded(), p.signature());
        } catch (Format.FormatError | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("malformed recording manifest: " + e.getMessage(), e);
        }
    }

    /** @throws org.sallyport.recorder.crypto.InvalidSignatureException unless {@code signerKey} signed these bytes */
    public void verify(VerifyingKey signerKey) {
        signerKey.verify(encoded, signature);
    }
}

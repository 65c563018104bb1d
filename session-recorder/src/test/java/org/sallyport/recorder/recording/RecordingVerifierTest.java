package org.sallyport.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sallyport.recorder.recording.TestRecordings.KEKS;
import static org.sallyport.recorder.recording.TestRecordings.KEK_ID;
import static org.sallyport.recorder.recording.TestRecordings.SIGNER;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sallyport.recorder.crypto.SigningKey;
import org.sallyport.recorder.recording.RecordingVerificationException.Kind;
import org.sallyport.recorder.recording.RecordingVerificationException.Section;
import org.sallyport.recorder.recording.TestRecordings.Written;

class RecordingVerifierTest {
    private final Written w = TestRecordings.write("rec-v", 120, 512, 3);
    private final List<Long> starts = TestRecordings.recordStarts(w.file());

    /** Record i of the file (0 = header, 1..n = chunks, n+1 = manifest). */
    private byte[] record(int i) {
        return Arrays.copyOfRange(w.file(), (int) (long) starts.get(i), (int) (long) starts.get(i + 1));
    }

    private int chunkCount() {
        return starts.size() - 3;
    }

    /** Magic, then the records in the given order. */
    private byte[] assemble(int... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Format.MAGIC);
        for (int r : records) out.writeBytes(record(r));
        return out.toByteArray();
    }

    private int[] order() {
        int[] o = new int[chunkCount() + 2];
        for (int i = 0; i < o.length; i++) o[i] = i;
        return o;
    }

    private static RecordingVerificationException failure(byte[] file) {
        return catchThrowableOfType(RecordingVerificationException.class,
                () -> RecordingVerifier.verify(RecordingSource.of(file), KEKS, SIGNER.verifyingKey()));
    }

    private static RecordingVerificationException keylessFailure(byte[] file) {
        return catchThrowableOfType(RecordingVerificationException.class,
                () -> RecordingVerifier.verifyWithoutKek(RecordingSource.of(file), SIGNER.verifyingKey()));
    }

    @Test
    void untouchedFileVerifiesWithAndWithoutKek() {
        assertThat(assemble(order())).isEqualTo(w.file());
        VerificationResult full = RecordingVerifier.verify(RecordingSource.of(w.file()), KEKS, SIGNER.verifyingKey());
        VerificationResult keyless = RecordingVerifier.verifyWithoutKek(RecordingSource.of(w.file()), SIGNER.verifyingKey());

        assertThat(full.complete()).isTrue();
        assertThat(full.frames()).isEqualTo(120);
        assertThat(keyless.complete()).isTrue();
        assertThat(keyless.decrypted()).isFalse();
        assertThat(keyless.frames()).isEqualTo(-1);
        assertThat(keyless.sealedChunks()).isEqualTo(chunkCount()).isEqualTo(w.manifest().chunkCount());
        assertThat(keyless.manifest()).isEqualTo(w.manifest());
        assertThat(keyless.message()).contains("manifest signed by " + SIGNER.keyId());
    }

    @Test
    void droppedChunkIsNamed() {
        int[] o = order();
        int[] without5 = new int[o.length - 1];
        System.arraycopy(o, 0, without5, 0, 6); // header + chunks 0..4
        System.arraycopy(o, 7, without5, 6, o.length - 7);

        RecordingVerificationException e = failure(assemble(without5));
        RecordingVerificationException k = keylessFailure(assemble(without5));

        assertThat(e.kind()).isEqualTo(Kind.CHAIN_BROKEN);
        assertThat(e.chunkIndex()).isEqualTo(5);
        assertThat(e.offset()).isEqualTo(starts.get(6));
        assertThat(e.getMessage()).contains("chunk 5").contains("index 6");
        assertThat(k.kind()).isEqualTo(Kind.CHAIN_BROKEN);
        assertThat(k.chunkIndex()).isEqualTo(5);
    }

    @Test
    void swappedChunksAreNamed() {
        int[] o = order();
        o[3] = 4; // chunk 2 <-> chunk 3
        o[4] = 3;

        RecordingVerificationException e = failure(assemble(o));

        assertThat(e.kind()).isEqualTo(Kind.CHAIN_BROKEN);
        assertThat(e.chunkIndex()).isEqualTo(2);
        assertThat(keylessFailure(assemble(o)).chunkIndex()).isEqualTo(2);
    }

    @Test
    void duplicatedChunkIsNamed() {
        int[] o = order();
        int[] dup = new int[o.length + 1];
        System.arraycopy(o, 0, dup, 0, 4);
        dup[4] = 3;
        System.arraycopy(o, 4, dup, 5, o.length - 4);

        RecordingVerificationException e = failure(assemble(dup));

        assertThat(e.kind()).isEqualTo(Kind.CHAIN_BROKEN);
        assertThat(e.chunkIndex()).isEqualTo(3);
    }

    @Test
    void droppedLastChunkIsCaughtByTheManifest() {
        int[] o = order();
        int[] without = Arrays.copyOf(o, o.length - 1);
        without[without.length - 1] = o[o.length - 1];

        assertThat(failure(assemble(without)).kind()).isEqualTo(Kind.MANIFEST_MISMATCH);
        assertThat(keylessFailure(assemble(without)).kind()).isEqualTo(Kind.MANIFEST_MISMATCH);
    }

    @Test
    void chunkFromAnotherRecordingIsRejected() {
        Written other = TestRecordings.write("rec-other", 120, 512, 3); // same keys, same seed, other id
        List<Long> os = TestRecordings.recordStarts(other.file());
        byte[] foreign = Arrays.copyOfRange(other.file(), (int) (long) os.get(3), (int) (long) os.get(4));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(w.file(), (int) (long) starts.get(3)));
        out.writeBytes(foreign);
        out.writeBytes(Arrays.copyOfRange(w.file(), (int) (long) starts.get(4), w.file().length));

        RecordingVerificationException e = failure(out.toByteArray());

        assertThat(e.kind()).isEqualTo(Kind.CHUNK_ALTERED);
        assertThat(e.chunkIndex()).isEqualTo(2);
    }

    @Test
    void wrongKekFailsClearly() {
        RecordingVerificationException e = catchThrowableOfType(RecordingVerificationException.class,
                () -> RecordingVerifier.verify(RecordingSource.of(w.file()), Map.of(KEK_ID, new byte[32]), SIGNER.verifyingKey()));
        RecordingVerificationException unknown = catchThrowableOfType(RecordingVerificationException.class,
                () -> RecordingReader.open(RecordingSource.of(w.file()), Map.of("other-kek", TestRecordings.KEK)));

        assertThat(e.kind()).isEqualTo(Kind.WRONG_KEK);
        assertThat(e.section()).isEqualTo(Section.HEADER);
        assertThat(e.getMessage()).contains(KEK_ID).contains("does not unwrap the data key");
        assertThat(unknown.kind()).isEqualTo(Kind.UNKNOWN_KEK);
        assertThat(unknown.getMessage()).contains(KEK_ID).contains("other-kek");
    }

    @Test
    void wrongSignerKeyFailsAtTheManifest() {
        SigningKey other = SigningKey.fromSeed(TestRecordings.bytes(32, 0x77));

        RecordingVerificationException e = catchThrowableOfType(RecordingVerificationException.class,
                () -> RecordingVerifier.verifyWithoutKek(RecordingSource.of(w.file()), other.verifyingKey()));

        assertThat(e.kind()).isEqualTo(Kind.MANIFEST_SIGNATURE);
        assertThat(e.offset()).isEqualTo(starts.get(starts.size() - 2));
        assertThat(e.getMessage()).contains(other.keyId()).contains(SIGNER.keyId());
    }

    @Test
    void validlySignedManifestWithWrongTotalsIsAMismatch() {
        Manifest m = w.manifest();
        Manifest forged = new Manifest(m.formatVersion(), m.recordingId(), m.sessionId(), m.createdAt(), m.closedAt(),
                m.frameCount(), m.inputBytes(), m.outputBytes() + 1, m.eventBytes(), m.chunkCount(), m.headerHash(),
                m.chainHead(), m.kekId(), m.signerKeyId());
        byte[] encoded = Format.encodeManifest(forged);
        byte[] body = Format.manifestBody(encoded, SIGNER.sign(encoded));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(w.file(), (int) (long) starts.get(starts.size() - 2)));
        out.writeBytes(Format.prefix(Format.TAG_MANIFEST, body.length));
        out.writeBytes(body);

        RecordingVerificationException e = failure(out.toByteArray());

        assertThat(e.kind()).isEqualTo(Kind.MANIFEST_MISMATCH);
        assertThat(e.getMessage()).contains("outputBytes");
        // without the KEK the totals cannot be checked: only chain and signature
        assertThat(RecordingVerifier.verifyWithoutKek(RecordingSource.of(out.toByteArray()), SIGNER.verifyingKey()).complete()).isTrue();
    }

    @Test
    void bytesAfterTheManifestAreRejected() {
        byte[] longer = Arrays.copyOf(w.file(), w.file().length + 1);

        RecordingVerificationException e = failure(longer);

        assertThat(e.kind()).isEqualTo(Kind.TRAILING_DATA);
        assertThat(e.offset()).isEqualTo(w.file().length);
    }

    @Test
    void notARecordingAndOtherVersionsAreNamed() {
        byte[] text = "hello world, not a recording".getBytes();
        byte[] v2 = w.file().clone();
        v2[7] = 2;

        assertThat(failure(text).kind()).isEqualTo(Kind.BAD_MAGIC);
        assertThat(failure(v2).kind()).isEqualTo(Kind.UNSUPPORTED_VERSION);
        assertThat(failure(v2).getMessage()).contains("version 2");
    }

    @Test
    void emptyFileIsIncompleteNotAnError() {
        VerificationResult r = RecordingVerifier.verify(RecordingSource.of(new byte[0]), KEKS, SIGNER.verifyingKey());

        assertThat(r.complete()).isFalse();
        assertThat(r.header()).isNull();
        assertThat(r.sealedChunks()).isZero();
        assertThatThrownBy(() -> RecordingReader.open(RecordingSource.of(new byte[0]), KEKS))
                .isInstanceOf(RecordingVerificationException.class).hasMessageContaining("incomplete");
    }

    @Test
    void readerStopsAtTheFirstAlteredChunkAfterReturningTheEarlierFrames() {
        byte[] bad = w.file().clone();
        bad[(int) (long) starts.get(4) + 60] ^= 1; // inside chunk 3's ciphertext

        try (RecordingReader r = RecordingReader.open(RecordingSource.of(bad), KEKS)) {
            RecordingVerificationException e = catchThrowableOfType(RecordingVerificationException.class, () -> {
                while (r.next() != null) {
                    // read until it throws
                }
            });
            assertThat(e.kind()).isEqualTo(Kind.CHUNK_ALTERED);
            assertThat(e.chunkIndex()).isEqualTo(3);
        }
    }
}

package org.sallyport.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sallyport.recorder.recording.TestRecordings.KEKS;
import static org.sallyport.recorder.recording.TestRecordings.SIGNER;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.sallyport.recorder.recording.RecordingVerificationException.Section;
import org.sallyport.recorder.recording.TestRecordings.Written;

class RecordingTamperPropertyTest {
    /** ~40 chunks of up to 512 bytes plaintext; one fixed recording keeps the property fast. */
    private static final Written W = TestRecordings.write("rec-tamper", 200, 512, 11);
    private static final byte[] FILE = W.file();
    private static final List<Long> STARTS = TestRecordings.recordStarts(FILE);

    @Property(tries = 1500)
    void flippingAnyByteFailsAtTheRecordHoldingIt(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed,
                                                  @ForAll @IntRange(min = 1, max = 255) int xor) {
        int pos = seed % FILE.length;
        byte[] bad = FILE.clone();
        bad[pos] ^= (byte) xor;

        RecordingVerificationException e = catchThrowableOfType(RecordingVerificationException.class,
                () -> RecordingVerifier.verify(RecordingSource.of(bad), KEKS, SIGNER.verifyingKey()));

        assertThat(e).as("flip at %d", pos).isNotNull();
        int record = recordIndex(pos); // -1 magic, 0 header, 1..n chunks, n+1 manifest
        long recordStart = record < 0 ? 0 : STARTS.get(record);
        assertThat(e.offset()).as("flip at %d: %s", pos, e.getMessage()).isEqualTo(recordStart);
        boolean inChunk = record >= 1 && TestRecordings.tagAt(FILE, recordStart) == Format.TAG_CHUNK;
        if (inChunk) {
            assertThat(e.section()).isEqualTo(Section.CHUNK);
            assertThat(e.chunkIndex()).as(e.getMessage()).isEqualTo(record - 1);
        } else if (record <= 0) {
            assertThat(e.section()).isEqualTo(Section.HEADER);
        }
    }

    /** The property above for every position (low bit; the property varies the pattern). A few seconds. */
    @org.junit.jupiter.api.Test
    void flippingEveryByteFailsAtTheRecordHoldingIt() {
        for (int seed = 0; seed < FILE.length; seed++) {
            flippingAnyByteFailsAtTheRecordHoldingIt(seed, 0x01);
        }
    }

    @Property(tries = 500)
    void flippingAnyByteFailsTheCheckWithoutKek(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed,
                                                @ForAll @IntRange(min = 1, max = 255) int xor) {
        int pos = seed % FILE.length;
        byte[] bad = FILE.clone();
        bad[pos] ^= (byte) xor;

        RecordingVerificationException e = catchThrowableOfType(RecordingVerificationException.class,
                () -> RecordingVerifier.verifyWithoutKek(RecordingSource.of(bad), SIGNER.verifyingKey()));

        assertThat(e).as("flip at %d", pos).isNotNull();
    }

    @Property(tries = 800)
    void aFileCutAnywhereVerifiesUpToItsLastSealedChunk(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        int length = seed % FILE.length; // strictly shorter than the closed file
        byte[] cut = Arrays.copyOf(FILE, length);
        long sealed = 0;
        long stop = 0;
        for (int i = 0; i + 1 < STARTS.size(); i++) {
            long end = STARTS.get(i + 1);
            if (end > length) break;
            if (TestRecordings.tagAt(FILE, STARTS.get(i)) == Format.TAG_CHUNK) sealed++;
            if (TestRecordings.tagAt(FILE, STARTS.get(i)) != Format.TAG_MANIFEST) stop = end;
        }

        VerificationResult full = RecordingVerifier.verify(RecordingSource.of(cut), KEKS, SIGNER.verifyingKey());
        VerificationResult keyless = RecordingVerifier.verifyWithoutKek(RecordingSource.of(cut), SIGNER.verifyingKey());

        for (VerificationResult r : List.of(full, keyless)) {
            assertThat(r.complete()).isFalse();
            assertThat(r.sealedChunks()).as(r.message()).isEqualTo(sealed);
            assertThat(r.stopOffset()).as(r.message()).isEqualTo(stop);
            assertThat(r.manifest()).isNull();
            assertThat(r.message()).startsWith(length < STARTS.get(1) ? "nothing verifiable" : "incomplete");
        }
        if (length >= STARTS.get(1)) {
            long framesInSealedChunks = W.frames().size(); // compare with a reader over the same cut
            List<Frame> read = RecordingRoundTripTest.readAll(cut);
            assertThat(full.frames()).isEqualTo(read.size()).isLessThanOrEqualTo(framesInSealedChunks);
            assertThat(read).isEqualTo(W.frames().subList(0, read.size()));
        }
    }

    private static int recordIndex(int pos) {
        if (pos < Format.MAGIC.length) return -1;
        for (int i = 0; i + 1 < STARTS.size(); i++) {
            if (pos < STARTS.get(i + 1)) return i;
        }
        throw new AssertionError("position past the end");
    }
}

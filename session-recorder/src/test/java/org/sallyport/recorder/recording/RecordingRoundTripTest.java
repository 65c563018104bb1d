package org.sallyport.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sallyport.recorder.recording.TestRecordings.KEK;
import static org.sallyport.recorder.recording.TestRecordings.KEKS;
import static org.sallyport.recorder.recording.TestRecordings.KEK_ID;
import static org.sallyport.recorder.recording.TestRecordings.SIGNER;

import java.io.ByteArrayOutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.recorder.recording.TestRecordings.Fixture;
import org.sallyport.recorder.recording.TestRecordings.Written;

class RecordingRoundTripTest {

    @Test
    void manyFramesAcrossManyChunksReadBackInOrder() {
        Written w = TestRecordings.write("rec-many", 3000, 1024, 7);
        assertThat(w.manifest().chunkCount()).isGreaterThan(300);

        List<Frame> read = readAll(w.file());

        assertThat(read).containsExactlyElementsOf(w.frames());
    }

    @Test
    void manifestTotalsMatchTheWriterAndTheVerifier() {
        Fixture f = new Fixture(512);
        f.writer.append(0, Direction.OUTPUT, new byte[100]);
        f.writer.append(0, Direction.INPUT, new byte[7]);
        f.writer.append(1, Direction.EVENT, RecordingEvents.resize(120, 40));
        long output = f.writer.bytes(Direction.OUTPUT);
        f.wall.now = f.wall.now.plusSeconds(90);

        Manifest m = f.writer.close();
        VerificationResult r = RecordingVerifier.verify(RecordingSource.of(f.sink.bytes()), KEKS, SIGNER.verifyingKey());

        assertThat(output).isEqualTo(100);
        assertThat(m.frameCount()).isEqualTo(3);
        assertThat(m.bytes(Direction.INPUT)).isEqualTo(7);
        assertThat(m.bytes(Direction.EVENT)).isEqualTo(RecordingEvents.resize(120, 40).length);
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-03-01T08:00:00.123456Z"));
        assertThat(m.closedAt()).isEqualTo(Instant.parse("2026-03-01T08:01:30.123456Z"));
        assertThat(m.kekId()).isEqualTo(KEK_ID);
        assertThat(m.signerKeyId()).isEqualTo(SIGNER.keyId());
        assertThat(r.complete()).isTrue();
        assertThat(r.decrypted()).isTrue();
        assertThat(r.frames()).isEqualTo(3);
        assertThat(r.manifest()).isEqualTo(m);
        assertThat(r.stopOffset()).isEqualTo(f.sink.bytes().length);
    }

    @Test
    void appendLargerThanAChunkIsStoredAsSeveralFramesWithTheSameTime() {
        Fixture f = new Fixture(256);
        byte[] big = TestRecordings.bytes(5000, 3);
        f.mono.now += 1234;
        f.writer.append(2, Direction.OUTPUT, big);
        f.writer.close();

        List<Frame> read = readAll(f.sink.bytes());

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        read.forEach(fr -> joined.writeBytes(fr.bytes()));
        assertThat(joined.toByteArray()).isEqualTo(big);
        assertThat(read).hasSizeGreaterThan(1).allSatisfy(fr -> {
            assertThat(fr.nanos()).isEqualTo(1234);
            assertThat(fr.channel()).isEqualTo(2);
            assertThat(fr.length()).isLessThanOrEqualTo(256 - Format.FRAME_OVERHEAD);
        });
    }

    @Test
    void emptyAndZeroLengthAppendsRoundTrip() {
        Fixture f = new Fixture(256);
        f.writer.append(0, Direction.OUTPUT, new byte[0]);
        f.writer.close();

        assertThat(readAll(f.sink.bytes())).containsExactly(Frame.of(0, 0, Direction.OUTPUT, new byte[0]));
    }

    @Test
    void recordingWithoutFramesIsCompleteWithZeroChunks() {
        Fixture f = new Fixture(256);
        Manifest m = f.writer.close();

        VerificationResult r = RecordingVerifier.verify(RecordingSource.of(f.sink.bytes()), KEKS, SIGNER.verifyingKey());

        assertThat(m.chunkCount()).isZero();
        assertThat(m.chainHead()).isEqualTo(m.headerHash());
        assertThat(r.complete()).isTrue();
        assertThat(r.sealedChunks()).isZero();
    }

    @Test
    void clockSteppingBackIsClampedSoFrameTimesNeverDecrease() {
        Fixture f = new Fixture(256);
        f.mono.now += 1000;
        f.writer.append(0, Direction.OUTPUT, new byte[] {1});
        f.mono.now -= 500;
        f.writer.append(0, Direction.OUTPUT, new byte[] {2});
        f.writer.close();

        assertThat(readAll(f.sink.bytes())).extracting(Frame::nanos).containsExactly(1000L, 1000L);
    }

    @Test
    void readerExposesHeaderAndManifest() {
        Fixture f = new Fixture(new TestRecordings.MemorySink(), "rec-h", 256, 1, Map.of(RecordingHeader.TERM_COLS, "132"));
        f.writer.append(0, Direction.OUTPUT, new byte[] {'x'});
        Manifest m = f.writer.close();

        try (RecordingReader r = RecordingReader.open(RecordingSource.of(f.sink.bytes()), KEKS)) {
            assertThat(r.header().recordingId()).isEqualTo("rec-h");
            assertThat(r.header().header().sessionId()).isEqualTo("session-7");
            assertThat(r.header().header().attributes()).containsEntry("term.cols", "132");
            assertThat(r.header().kekId()).isEqualTo(KEK_ID);
            assertThat(r.header().headerHash()).isEqualTo(m.headerHash());
            assertThat(r.manifest()).contains(m);
            while (r.next() != null) {
                // drain
            }
            assertThat(r.complete()).isTrue();
            assertThat(r.chunksRead()).isEqualTo(1);
        }
    }

    @Test
    void fileSinkAndSourceRoundTripWithOwnerOnlyMode(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("recordings/rec-f.sprec");
        FileRecordingSink sink = FileRecordingSink.create(file);
        RecordingWriter w = RecordingWriter.create(sink, new RecordingHeader("rec-f", "s-1"), KEK, KEK_ID, SIGNER,
                java.time.Clock.systemUTC(), System::nanoTime);
        for (int i = 0; i < 100; i++) w.append(0, Direction.OUTPUT, ("line " + i + "\n").getBytes());
        w.flush();
        w.close();

        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (FileRecordingSource src = FileRecordingSource.open(file)) {
            assertThat(RecordingVerifier.verify(src, KEKS, SIGNER.verifyingKey()).frames()).isEqualTo(100);
        }
        assertThatThrownBy(() -> FileRecordingSink.create(file)).isInstanceOf(FileAlreadyExistsException.class);
    }

    static List<Frame> readAll(byte[] file) {
        List<Frame> out = new ArrayList<>();
        try (RecordingReader r = RecordingReader.open(RecordingSource.of(file), KEKS)) {
            for (Frame f = r.next(); f != null; f = r.next()) out.add(f);
        }
        return out;
    }
}

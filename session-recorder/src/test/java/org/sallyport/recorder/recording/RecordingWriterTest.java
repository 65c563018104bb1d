package org.sallyport.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sallyport.recorder.recording.TestRecordings.KEK;
import static org.sallyport.recorder.recording.TestRecordings.KEKS;
import static org.sallyport.recorder.recording.TestRecordings.KEK_ID;
import static org.sallyport.recorder.recording.TestRecordings.SIGNER;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.sallyport.recorder.recording.TestRecordings.FailingSink;
import org.sallyport.recorder.recording.TestRecordings.Fixture;
import org.sallyport.recorder.recording.TestRecordings.MemorySink;

class RecordingWriterTest {

    @Test
    void appendAfterSinkFailureThrowsEvenIfTheAppendWouldOnlyBuffer() {
        FailingSink sink = new FailingSink(2); // header and chunk 0, then the disk is full
        Fixture f = new Fixture(sink, "rec-fail", 256, 1, Map.of());
        f.writer.append(0, Direction.OUTPUT, new byte[100]);
        f.writer.flush();
        f.writer.append(0, Direction.OUTPUT, new byte[100]);

        assertThatThrownBy(f.writer::flush).isInstanceOf(RecordingException.class).hasMessageContaining("chunk 1")
                .hasRootCauseMessage("No space left on device");
        assertThatThrownBy(() -> f.writer.append(0, Direction.OUTPUT, new byte[1], 0, 1))
                .isInstanceOf(RecordingException.class).hasMessageContaining("failed earlier");
        assertThatThrownBy(f.writer::flush).isInstanceOf(RecordingException.class);
        assertThatThrownBy(f.writer::close).isInstanceOf(RecordingException.class);
        assertThat(sink.closed).isTrue();
    }

    @Test
    void appendThatFillsAChunkThrowsWhenTheSinkFails() {
        Fixture f = new Fixture(new FailingSink(1), "rec-fail", 256, 1, Map.of());

        assertThatThrownBy(() -> f.writer.append(0, Direction.OUTPUT, new byte[1000]))
                .isInstanceOf(RecordingException.class);
    }

    @Test
    void whatWasSealedBeforeTheFailureStillVerifiesAsIncomplete() {
        FailingSink sink = new FailingSink(4);
        Fixture f = new Fixture(sink, "rec-fail", 256, 1, Map.of());
        for (int i = 0; i < 3; i++) {
            f.writer.append(0, Direction.OUTPUT, new byte[50]);
            f.writer.flush();
        }
        f.writer.append(0, Direction.OUTPUT, new byte[50]);
        assertThatThrownBy(f.writer::close).isInstanceOf(RecordingException.class);

        VerificationResult r = RecordingVerifier.verify(RecordingSource.of(sink.bytes()), KEKS, SIGNER.verifyingKey());

        assertThat(r.complete()).isFalse();
        assertThat(r.sealedChunks()).isEqualTo(3);
        assertThat(r.frames()).isEqualTo(3);
        assertThat(r.message()).contains("not closed");
    }

    @Test
    void createFailsIfTheSinkCannotTakeTheHeader() {
        FailingSink sink = new FailingSink(0);

        assertThatThrownBy(() -> new Fixture(sink, "rec-x", 256, 1, Map.of())).isInstanceOf(RecordingException.class)
                .hasMessageContaining("header");
        assertThat(sink.closed).isTrue();
    }

    @Test
    void headerIsSyncedAtCreateAndEveryChunkBySyncPolicy() {
        MemorySink sink = new MemorySink();
        RecordingWriter w = RecordingWriter.create(sink, new RecordingHeader("r", "s"), KEK, KEK_ID, SIGNER,
                java.time.Clock.systemUTC(), System::nanoTime, new RecordingWriter.Options(256, true));
        assertThat(sink.syncs).isEqualTo(1);
        w.append(0, Direction.OUTPUT, new byte[10]);
        assertThat(sink.syncs).isEqualTo(1); // append only buffers
        w.flush();
        w.flush(); // nothing to seal
        assertThat(sink.syncs).isEqualTo(2);

        MemorySink lazy = new MemorySink();
        RecordingWriter w2 = RecordingWriter.create(lazy, new RecordingHeader("r", "s"), KEK, KEK_ID, SIGNER,
                java.time.Clock.systemUTC(), System::nanoTime, new RecordingWriter.Options(256, false));
        w2.append(0, Direction.OUTPUT, new byte[10]);
        w2.flush();
        assertThat(lazy.syncs).isEqualTo(1);
        w2.close();
        assertThat(lazy.syncs).isEqualTo(2); // close always syncs
        assertThat(lazy.closed).isTrue();
    }

    @Test
    void syncMakesSealedChunksDurableOnlyWhenThereIsSomethingNew() {
        MemorySink lazy = new MemorySink();
        RecordingWriter w = RecordingWriter.create(lazy, new RecordingHeader("r", "s"), KEK, KEK_ID, SIGNER,
                java.time.Clock.systemUTC(), System::nanoTime, new RecordingWriter.Options(256, false));
        w.sync();
        assertThat(lazy.syncs).isEqualTo(1); // only the header's
        w.append(0, Direction.OUTPUT, new byte[10]);
        w.sync();
        assertThat(lazy.syncs).as("nothing sealed yet: buffered bytes are not the sink's").isEqualTo(1);
        w.flush();
        w.sync();
        w.sync();
        assertThat(lazy.syncs).isEqualTo(2);
        w.close();
        w.sync(); // after close: a no-op, not an error
        assertThat(lazy.syncs).isEqualTo(3);
    }

    @Test
    void aFailedSyncFailsTheWriterSoTheNextAppendRefuses() {
        MemorySink broken = new MemorySink() {
            @Override
            public void sync() {
                super.sync();
                if (syncs > 1) throw new java.io.UncheckedIOException(new java.io.IOException("Input/output error"));
            }
        };
        RecordingWriter w = RecordingWriter.create(broken, new RecordingHeader("r", "s"), KEK, KEK_ID, SIGNER,
                java.time.Clock.systemUTC(), System::nanoTime, new RecordingWriter.Options(256, false));
        w.append(0, Direction.OUTPUT, new byte[10]);
        w.flush();

        assertThatThrownBy(w::sync).isInstanceOf(RecordingException.class).hasMessageContaining("cannot sync chunks up to 0");
        assertThatThrownBy(() -> w.append(0, Direction.INPUT, new byte[1])).isInstanceOf(RecordingException.class)
                .hasMessageContaining("failed earlier");
    }

    @Test
    void appendAfterCloseThrowsAndCloseIsIdempotent() {
        Fixture f = new Fixture(256);
        Manifest m = f.writer.close();

        assertThat(f.writer.close()).isSameAs(m);
        assertThatThrownBy(() -> f.writer.append(0, Direction.INPUT, new byte[1])).isInstanceOf(RecordingException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void rejectsBadArguments() {
        MemorySink sink = new MemorySink();
        RecordingHeader h = new RecordingHeader("r", "s");
        assertThatThrownBy(() -> RecordingWriter.create(sink, h, new byte[16], KEK_ID, SIGNER, java.time.Clock.systemUTC(), System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kek must be 32 bytes");
        assertThatThrownBy(() -> RecordingWriter.create(sink, h, KEK, " ", SIGNER, java.time.Clock.systemUTC(), System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kekId");
        assertThatThrownBy(() -> new RecordingHeader("", "s")).hasMessageContaining("recordingId");
        assertThatThrownBy(() -> new RecordingWriter.Options(100, true)).hasMessageContaining("chunkSizeBytes");
        Fixture f = new Fixture(256);
        assertThatThrownBy(() -> f.writer.append(0, Direction.OUTPUT, new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void concurrentAppendersLoseNothing() throws Exception {
        MemorySink sink = new MemorySink();
        RecordingWriter w = RecordingWriter.create(sink, new RecordingHeader("r", "s"), KEK, KEK_ID, SIGNER,
                java.time.Clock.systemUTC(), System::nanoTime, new RecordingWriter.Options(1024, false));
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int channel = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 2000; i++) w.append(channel, Direction.OUTPUT, new byte[] {(byte) i});
                w.flush();
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        Manifest m = w.close();

        assertThat(m.frameCount()).isEqualTo(8000);
        VerificationResult r = RecordingVerifier.verify(RecordingSource.of(sink.bytes()), KEKS, SIGNER.verifyingKey());
        assertThat(r.frames()).isEqualTo(8000);
        assertThat(r.complete()).isTrue();
    }
}

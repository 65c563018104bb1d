package org.sallyport.recorder.recording;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.sallyport.recorder.crypto.SigningKey;

/** Fixed keys, fake clocks, in-memory and failing sinks, and record-boundary helpers for the recording tests. */
final class TestRecordings {
    static final byte[] KEK = bytes(32, 0x10);
    static final String KEK_ID = "kek-2026-01";
    static final SigningKey SIGNER = SigningKey.fromSeed(bytes(32, 0x40));
    static final Instant START = Instant.parse("2026-03-01T08:00:00.123456789Z");
    static final Map<String, byte[]> KEKS = Map.of(KEK_ID, KEK);

    private TestRecordings() {}

    static byte[] bytes(int n, int first) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (first + i);
        return b;
    }

    /** Deterministic "randomness": ONLY for tests (fixed data key and wrap nonce). */
    static Consumer<byte[]> fixedRandom(long seed) {
        Random r = new Random(seed);
        return r::nextBytes;
    }

    /** A wall clock that tests move by hand. */
    static final class MutableClock implements InstantSource {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A monotonic clock that tests move by hand. */
    static final class ManualNanos implements LongSupplier {
        long now = 5_000_000_000L;

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static class MemorySink implements RecordingSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int writes;
        int syncs;
        boolean closed;

        @Override
        public void write(byte[] bytes) throws IOException {
            if (closed) throw new IOException("closed");
            out.writeBytes(bytes);
            writes++;
        }

        @Override
        public void sync() {
            syncs++;
        }

        @Override
        public void close() {
            closed = true;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return "MemorySink";
        }
    }

    /** Fails every write after the first {@code okWrites} (like a disk that fills up). */
    static final class FailingSink extends MemorySink {
        final int okWrites;

        FailingSink(int okWrites) {
            this.okWrites = okWrites;
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            if (writes >= okWrites) throw new IOException("No space left on device");
            super.write(bytes);
        }
    }

    /** A writer with fixed keys, randomness and clocks. */
    static final class Fixture {
        final MemorySink sink;
        final MutableClock wall = new MutableClock(START);
        final ManualNanos mono = new ManualNanos();
        final RecordingWriter writer;

        Fixture(MemorySink sink, String recordingId, int chunkSize, long seed, Map<String, String> attributes) {
            this.sink = sink;
            this.writer = RecordingWriter.create(sink, new RecordingHeader(recordingId, "session-7", attributes), KEK, KEK_ID,
                    SIGNER, wall, mono, new RecordingWriter.Options(chunkSize, true), fixedRandom(seed));
        }

        Fixture(int chunkSize) {
            this(new MemorySink(), "rec-0001", chunkSize, 42, Map.of());
        }
    }

    /** A closed recording of {@code frames} random frames (seeded), with the frames as written. */
    record Written(byte[] file, List<Frame> frames, Manifest manifest) {}

    static Written write(String recordingId, int frameCount, int chunkSize, long seed) {
        Fixture f = new Fixture(new MemorySink(), recordingId, chunkSize, seed, Map.of());
        Random r = new Random(seed);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < frameCount; i++) {
            f.mono.now += r.nextInt(3_000_000);
            Direction d = Direction.values()[r.nextInt(3)];
            byte[] data = new byte[r.nextInt(Math.min(300, chunkSize - Format.FRAME_OVERHEAD))];
            r.nextBytes(data);
            int channel = r.nextInt(3);
            f.writer.append(channel, d, data, 0, data.length);
            frames.add(Frame.of(f.mono.now - 5_000_000_000L, channel, d, data));
            if (r.nextInt(10) == 0) f.writer.flush();
        }
        f.wall.now = START.plusSeconds(60);
        Manifest m = f.writer.close();
        return new Written(f.sink.bytes(), frames, m);
    }

    /** Start offsets of all records (header first), then the file length; from the prefixes only. */
    static List<Long> recordStarts(byte[] file) {
        List<Long> starts = new ArrayList<>();
        long at = Format.MAGIC.length;
        while (at < file.length) {
            starts.add(at);
            at += Format.PREFIX_BYTES + Integer.toUnsignedLong(Format.getU32(file, (int) at + 1));
        }
        starts.add((long) file.length);
        return starts;
    }

    static byte tagAt(byte[] file, long recordStart) {
        return file[(int) recordStart];
    }
}

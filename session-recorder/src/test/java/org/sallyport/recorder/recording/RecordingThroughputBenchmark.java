package org.sallyport.recorder.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sallyport.recorder.crypto.SigningKey;

/**
 * Not a test: prints write and verify throughput for 100 MB of 4 KiB OUTPUT frames, to memory and to a file.
 * Run: {@code java -cp target/classes:target/test-classes:<deps> org.sallyport.recorder.recording.RecordingThroughputBenchmark}.
 */
public final class RecordingThroughputBenchmark {
    private RecordingThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        long total = 100L * 1024 * 1024;
        byte[] frame = new byte[4096];
        new java.util.Random(1).nextBytes(frame);
        byte[] kek = new byte[32];
        SigningKey signer = SigningKey.generate();
        for (int round = 0; round < 3; round++) {
            TestRecordings.MemorySink mem = new TestRecordings.MemorySink();
            long t0 = System.nanoTime();
            RecordingWriter w = RecordingWriter.create(mem, new RecordingHeader("bench", "s"), kek, "k", signer,
                    java.time.Clock.systemUTC(), System::nanoTime);
            for (long n = 0; n < total; n += frame.length) w.append(0, Direction.OUTPUT, frame);
            w.close();
            long t1 = System.nanoTime();
            RecordingVerifier.verify(RecordingSource.of(mem.bytes()), Map.of("k", kek), signer.verifyingKey());
            long t2 = System.nanoTime();
            RecordingVerifier.verifyWithoutKek(RecordingSource.of(mem.bytes()), signer.verifyingKey());
            long t3 = System.nanoTime();

            Path dir = Files.createTempDirectory("sprec-bench");
            Path file = dir.resolve("bench.sprec");
            long t4 = System.nanoTime();
            RecordingWriter fw = RecordingWriter.create(FileRecordingSink.create(file), new RecordingHeader("bench", "s"),
                    kek, "k", signer, java.time.Clock.systemUTC(), System::nanoTime);
            for (long n = 0; n < total; n += frame.length) fw.append(0, Direction.OUTPUT, frame);
            fw.close();
            long t5 = System.nanoTime();
            Files.delete(file);
            Files.delete(dir);
            System.out.printf("round %d: write to memory %.0f MB/s, verify+decrypt %.0f MB/s, verify without KEK %.0f MB/s,"
                            + " write to file with fsync per 64 KiB chunk %.0f MB/s%n", round,
                    mb(total, t1 - t0), mb(total, t2 - t1), mb(total, t3 - t2), mb(total, t5 - t4));
        }
    }

    private static double mb(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }
}

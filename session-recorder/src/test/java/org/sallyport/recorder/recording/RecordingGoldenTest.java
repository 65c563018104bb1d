package org.sallyport.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sallyport.recorder.recording.TestRecordings.KEKS;
import static org.sallyport.recorder.recording.TestRecordings.SIGNER;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sallyport.recorder.crypto.Hashes;
import org.sallyport.recorder.recording.TestRecordings.Fixture;
import org.sallyport.recorder.recording.TestRecordings.MemorySink;

/**
 * Byte-exact samples of the format under src/test/resources/golden/RecordingGoldenTest/. Nothing is volatile:
 * keys, data key, wrap nonce (test-only fixed randomness) and both clocks are fixed, and Ed25519 is
 * deterministic. Regenerate deliberately with {@code -Dgolden.update=true} and review the diff.
 */
class RecordingGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/RecordingGoldenTest");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @Test
    void smallSession() throws Exception {
        Fixture f = new Fixture(new MemorySink(), "rec-golden-0001", 256, 2026,
                Map.of(RecordingHeader.TERM_COLS, "80", RecordingHeader.TERM_ROWS, "24", "target", "camera-17"));
        f.writer.append(1, Direction.EVENT, RecordingEvents.resize(80, 24));
        f.mono.now += 120_000_000;
        f.writer.append(1, Direction.OUTPUT, "camera-17 maintenance shell\r\n$ ".getBytes(StandardCharsets.UTF_8));
        f.mono.now += 900_000_000;
        f.writer.append(1, Direction.INPUT, "uptime\r".getBytes(StandardCharsets.UTF_8));
        f.writer.flush();
        f.mono.now += 30_000_000;
        byte[] out = " 08:00:01 up 3 days, temp 41\u00b0C\r\n$ ".getBytes(StandardCharsets.UTF_8);
        int split = " 08:00:01 up 3 days, temp 41".length() + 1; // inside the two-byte degree sign (C2 B0)
        f.writer.append(1, Direction.OUTPUT, out, 0, split);
        f.mono.now += 1_000;
        f.writer.append(1, Direction.OUTPUT, out, split, out.length - split);
        f.mono.now += 2_000_000_000;
        f.writer.append(1, Direction.EVENT, RecordingEvents.exitStatus(0));
        f.wall.now = f.wall.now.plusSeconds(3);
        Manifest m = f.writer.close();
        byte[] file = f.sink.bytes();

        StringWriter cast = new StringWriter();
        try (RecordingReader r = RecordingReader.open(RecordingSource.of(file), KEKS)) {
            AsciicastExporter.export(r, cast, AsciicastExporter.Options.withDefaults().withInput(true));
        }
        String summary = "sha256 " + Hashes.hex(Hashes.sha256(file)) + "\n" + m + "\n";

        check("small-session/recording.sprec", file);
        check("small-session/recording.cast", cast.toString().getBytes(StandardCharsets.UTF_8));
        check("small-session/manifest.txt", summary.getBytes(StandardCharsets.UTF_8));
        assertThat(RecordingVerifier.verify(RecordingSource.of(file), KEKS, SIGNER.verifyingKey()).complete()).isTrue();
        assertThat(cast.toString()).contains("[1.050001,\"o\",\"\u00b0C\\r\\n$ \"]").doesNotContain("\uFFFD");
    }

    private static void check(String name, byte[] actual) throws Exception {
        Path p = DIR.resolve(name);
        if (UPDATE) {
            Files.createDirectories(p.getParent());
            Files.write(p, actual);
            return;
        }
        assertThat(p).as("golden file %s missing: run with -Dgolden.update=true", p).exists();
        assertThat(actual).as("%s differs from the golden file (format change? regenerate with -Dgolden.update=true and review)", name)
                .isEqualTo(Files.readAllBytes(p));
    }
}

package org.sallyport.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.gateway.SessionRecordings;
import org.sallyport.broker.server.Broker;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.broker.testing.VendorSsh;
import org.sallyport.fixtures.camera.SimulatedCamera;
import org.sallyport.fixtures.services.RequiredService;
import org.sallyport.recorder.crypto.KeyFiles;
import org.sallyport.recorder.recording.Direction;
import org.sallyport.recorder.recording.FileRecordingSource;
import org.sallyport.recorder.recording.Frame;
import org.sallyport.recorder.recording.RecordingReader;

/**
 * The broker's real recorder behind the real gateway: stock ssh -> broker -> simulated camera, then the
 * {@code sallyport recording} tools on the file it wrote: verify, play, export, and what tampering looks like.
 */
class RecordingCommandTest {
    private static final String TARGET = "cam-rec-01";
    @TempDir
    Path dir;
    SimulatedCamera camera;
    TestBroker b;
    VendorSsh tech;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @BeforeEach
    void start() throws Exception {
        RequiredService.require("OpenSSH client", VendorSsh.available(), "apt-get install openssh-client");
        camera = SimulatedCamera.builder().id(TARGET).hostKeyFile(dir.resolve("camera-hostkey")).credentials("maint", "cam-secret").build();
        int port = camera.start();
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", port, null, camera.hostKeyOpenSsh(), "maint",
                TARGET + "/maint", List.of("acme-optics"), List.of(), null);
        // The recording of binary output is under test, not the guard, which would stop a JPEG: channel rules only.
        var d = org.sallyport.policy.guard.GuardRules.defaults();
        b = new TestBroker(dir.resolve("data"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/maint", "cam-secret"))
                .guardRules(() -> new org.sallyport.policy.guard.GuardRules(d.channels(), List.of(),
                        new org.sallyport.policy.guard.OutputRules(List.of(), d.output().tuning(), List.of())))
                .start();
        tech = new VendorSsh(b, "tech", dir);
        assertThat(tech.certify().status()).isEqualTo(200);
        String id = b.request("tech", TARGET, "30m");
        assertThat(b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (camera != null) camera.close();
    }

    /** Runs {@code command} on the camera through the gateway; returns the ended session as the API lists it. */
    private JsonNode recordedSession(String command, VendorSsh.Result[] result) {
        result[0] = tech.exec(TARGET, command);
        assertThat(result[0].exit()).as(result[0].err()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode s = b.get("supervisor", "/api/sessions").json();
            return s.size() == 1 && s.get(0).hasNonNull("endReason");
        });
        return b.get("supervisor", "/api/sessions").json().get(0);
    }

    private Path fileOf(JsonNode session) {
        return SessionRecordings.file(Broker.recordingsDir(b.dataDir), session.get("recordingId").asText());
    }

    @Test
    void theRecordingHoldsExactlyWhatTheVendorSawAndItsHeadIsTheAuditedOne() throws Exception {
        VendorSsh.Result[] r = new VendorSsh.Result[1];
        String image = camera.images().get(0);
        JsonNode s = recordedSession("cat " + image, r);
        Path file = fileOf(s);
        assertThat(r[0].out()).isEqualTo(camera.file(image));

        byte[] kek = KeyFiles.loadSecret(Broker.recordingKekFile(b.dataDir), 32);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (RecordingReader reader = RecordingReader.open(FileRecordingSource.open(file), Map.of(SessionRecordings.kekId(kek), kek))) {
            for (Frame f = reader.next(); f != null; f = reader.next()) if (f.direction() == Direction.OUTPUT) output.write(f.bytes());
            assertThat(reader.complete()).isTrue();
            assertThat(reader.manifest().orElseThrow().chainHead()).isEqualTo(s.get("recordingHead").asText());
            assertThat(reader.header().header().attributes()).containsEntry("target", TARGET).containsEntry("user", "tech")
                    .containsEntry("kind", "exec").doesNotContainKey("command");
        }
        assertThat(output.toByteArray()).isEqualTo(r[0].out());
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as("recordings are encrypted at rest")
                .doesNotContain("JFIF").doesNotContain("cat " + image);
    }

    @Test
    void verifyPlayAndExportTheRecordingOfASession() throws Exception {
        VendorSsh.Result[] r = new VendorSsh.Result[1];
        Path file = fileOf(recordedSession("status", r));

        Run verify = run("recording", "verify", file.toString());
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("OK: complete").contains("recording ").contains("chain head ");

        PrintStream stdout = System.out;
        ByteArrayOutputStream played = new ByteArrayOutputStream();
        Run play;
        try {
            System.setOut(new PrintStream(played, true, StandardCharsets.UTF_8));
            play = run("recording", "play", "--speed", "50", file.toString());
        } finally {
            System.setOut(stdout);
        }
        assertThat(play.exit()).as(play.err()).isZero();
        assertThat(played.toByteArray()).isEqualTo(r[0].out());

        Path cast = dir.resolve("session.cast");
        Run export = run("recording", "export", "--asciicast", cast.toString(), file.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        List<String> lines = Files.readAllLines(cast);
        ObjectMapper json = new ObjectMapper();
        JsonNode header = json.readTree(lines.getFirst());
        assertThat(header.get("version").asInt()).isEqualTo(2);
        StringBuilder text = new StringBuilder();
        double previous = 0;
        for (String line : lines.subList(1, lines.size())) {
            JsonNode e = json.readTree(line);
            assertThat(e.get(0).asDouble()).isGreaterThanOrEqualTo(previous);
            previous = e.get(0).asDouble();
            if (e.get(1).asText().equals("o")) text.append(e.get(2).asText());
        }
        assertThat(text.toString()).isEqualTo(r[0].text());
    }

    @Test
    void aFlippedByteFailsVerificationNamingTheChunk() throws Exception {
        VendorSsh.Result[] r = new VendorSsh.Result[1];
        Path file = fileOf(recordedSession("status", r));
        byte[] bytes = Files.readAllBytes(file);
        // FORMAT.md: 8-byte magic, then records of u8 tag || u32 bodyLength || u32 crc || body; chunk 0 follows the header.
        int headerBody = java.nio.ByteBuffer.wrap(bytes, 9, 4).getInt();
        int chunk0 = 8 + 9 + headerBody;
        assertThat(bytes[chunk0]).as("tag of chunk 0").isEqualTo((byte) 'C');
        int ciphertext = chunk0 + 9 + 8 + 32;
        Path copy = dir.resolve("data/recordings/flipped.sprec");
        bytes[ciphertext + 3] ^= 0x01;
        Files.write(copy, bytes);

        Run v = run("recording", "verify", copy.toString());

        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.err()).contains("FAILED: CHUNK_ALTERED at chunk 0 (file offset " + chunk0 + ")");
        assertThat(run("recording", "play", copy.toString()).exit()).as("nothing plays from an altered recording").isEqualTo(1);
    }

    @Test
    void aRecordingCutShortSaysWhereItStops() throws Exception {
        VendorSsh.Result[] r = new VendorSsh.Result[1];
        Path file = fileOf(recordedSession("status", r));
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("data/recordings/cut.sprec");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10)); // the manifest is torn, as by a crash

        Run v = run("recording", "verify", cut.toString());

        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.err()).contains("truncated after chunk 0");
    }

    @Test
    void unusableInputExitsTwo() throws Exception {
        Path notRecording = dir.resolve("data/recordings/x.sprec");
        Files.createDirectories(notRecording.getParent());
        Files.writeString(notRecording, "hello, not a recording\n");
        Run bad = run("recording", "verify", notRecording.toString());
        assertThat(bad.exit()).as(bad.err()).isEqualTo(2);
        assertThat(bad.err()).contains("BAD_MAGIC");

        Run missing = run("recording", "verify", dir.resolve("nope.sprec").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such recording file");

        Run speed = run("recording", "play", "--speed", "0", "--data", b.dataDir.toString(), notRecording.toString());
        assertThat(speed.exit()).isEqualTo(2);
        assertThat(speed.err()).contains("--speed");
    }
}

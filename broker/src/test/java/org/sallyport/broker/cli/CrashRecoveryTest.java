package org.sallyport.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.gateway.SessionRecordings;
import org.sallyport.broker.server.Broker;
import org.sallyport.broker.testing.VendorSsh;
import org.sallyport.fixtures.services.RequiredService;
import org.sallyport.recorder.crypto.KeyFiles;
import org.sallyport.recorder.recording.FileRecordingSource;
import org.sallyport.recorder.recording.Direction;
import org.sallyport.recorder.recording.Frame;
import org.sallyport.recorder.recording.RecordingReader;

/**
 * kill -9 in the middle of a recorded session: the demo broker runs in its own JVM, a vendor's interactive ssh
 * session produces output, the broker is killed with SIGKILL. The recording must verify up to its last sealed chunk
 * and say where it stops; the next start must end the orphaned session as {@code broker-restart}.
 */
class CrashRecoveryTest {
    private static final String PASSWORD = "crash-test-password";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    Process broker;
    Process ssh;

    @AfterEach
    void stop() {
        if (ssh != null) ssh.destroyForcibly();
        if (broker != null) broker.destroyForcibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private JsonNode call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + url + ": " + r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    private String login(String base, String user) throws Exception {
        return call("POST", base + "/api/auth/login", null, "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}")
                .get("accessToken").asText();
    }

    private static boolean ready(HttpClient http, String base) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The terminal output in the recording's sealed chunks. */
    private static String sealedOutput(Path file, Map<String, byte[]> keks) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RecordingReader r = RecordingReader.open(FileRecordingSource.open(file), keks)) {
            for (Frame f = r.next(); f != null; f = r.next()) if (f.direction() == Direction.OUTPUT) out.write(f.bytes());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void killNineMidSessionLeavesARecordingThatVerifiesUpToItsLastChunkAndTheRestartEndsTheSession() throws Exception {
        RequiredService.require("OpenSSH client", VendorSsh.available(), "apt-get install openssh-client");
        Path data = dir.resolve("demo");
        int httpPort = freePort();
        int sshPort = freePort();
        String base = "http://127.0.0.1:" + httpPort;
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.sallyport.broker.cli.Main", "demo", "--data", data.toString(),
                "--http-port", Integer.toString(httpPort), "--ssh-port", Integer.toString(sshPort));
        pb.environment().put("SALLYPORT_DEMO_PASSWORD", PASSWORD);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile());
        broker = pb.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> ready(http, base) || !broker.isAlive());
        assertThat(broker.isAlive()).as(Files.readString(dir.resolve("broker.log"))).isTrue();

        String tech = login(base, "tech");
        String supervisor = login(base, "supervisor");
        String id = call("POST", base + "/api/requests", tech, "{\"targets\":[\"cam-anz-01\"],\"duration\":\"30m\","
                + "\"reason\":\"crash drill\",\"ticket\":\"INC-9\"}").get("id").asText();
        call("POST", base + "/api/requests/" + id + "/approve", supervisor, "{\"comment\":\"ok\"}");

        Path key = dir.resolve("tech-id");
        assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start().waitFor()).isZero();
        JsonNode cert = call("POST", base + "/api/ssh/certificate", tech,
                "{\"publicKey\":\"" + Files.readString(Path.of(key + ".pub")).strip() + "\"}");
        Files.writeString(Path.of(key + "-cert.pub"), cert.get("certificate").asText() + "\n");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + sshPort + " " + cert.get("hostKey").asText() + "\n");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh", "-F", "/dev/null", "-p", Integer.toString(sshPort), "-i", key.toString(),
                "-o", "CertificateFile=" + key + "-cert.pub", "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-tt", "tech+cam-anz-01@127.0.0.1"));
        ssh = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        Thread.ofVirtual().start(() -> VendorSsh.copy(ssh.getInputStream(), seen));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.toString(StandardCharsets.UTF_8).contains("cam-anz-01$ "));
        OutputStream keys = ssh.getOutputStream();
        keys.write("status\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.toString(StandardCharsets.UTF_8).contains("firmware"));

        Path recordings = Broker.recordingsDir(data);
        Path file;
        try (var files = Files.list(recordings)) {
            file = files.filter(p -> p.toString().endsWith(SessionRecordings.SUFFIX)).findFirst().orElseThrow();
        }
        byte[] kek = KeyFiles.loadSecret(Broker.recordingKekFile(data), 32);
        Map<String, byte[]> keks = Map.of(SessionRecordings.kekId(kek), kek);
        // The flusher seals what the session produced within its interval: wait until the status output is sealed.
        await().atMost(Duration.ofSeconds(10)).until(() -> sealedOutput(file, keks).contains("firmware"));

        broker.destroyForcibly(); // SIGKILL: no shutdown hook, no final flush, no manifest
        broker.waitFor();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("recording", "verify", file.toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).containsPattern("incomplete: truncated after chunk [0-9]+;")
                .contains("not closed");

        try (DemoCommand.Demo again = DemoCommand.start(data, 0, 0, null, PASSWORD)) {
            String url = again.url();
            JsonNode sessions = call("GET", url + "/api/sessions", login(url, "supervisor"), null);
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).get("endReason").asText()).isEqualTo("broker-restart");
            assertThat(sessions.get(0).get("recordingId").asText()).isEqualTo(file.getFileName().toString().replace(".sprec", ""));
        }
    }
}

package org.sallyport.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.cli.client.CliEnvironment;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.server.Broker;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.broker.testing.VendorSsh;
import org.sallyport.fixtures.camera.SimulatedCamera;
import org.sallyport.fixtures.services.RequiredService;

/**
 * An inspector exports the evidence of a real session (stock ssh through the gateway to a simulated camera) through
 * the broker's API, and verifies it offline with only the bundle and the broker's public key; tampering, the wrong
 * role and bad input give exit 1 and 2; after the broker stops, the same export works from its data folder.
 */
class AuditExportCommandTest {
    private static final String TARGET = "cam-exp-01";
    @TempDir
    Path dir;
    SimulatedCamera camera;
    TestBroker b;

    record Run(int exit, String out, String err) {}

    private Run as(String user, String... args) {
        Map<String, String> env = Map.of("SALLYPORT_HOME", dir.resolve("home-" + user).toString(), "PATH", System.getenv("PATH"));
        CliEnvironment e = new CliEnvironment(env, dir, new ByteArrayInputStream((TestBroker.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)),
                null, Clock.systemUTC(), null);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine(e);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @BeforeEach
    void session() throws Exception {
        RequiredService.require("OpenSSH client", VendorSsh.available(), "apt-get install openssh-client");
        camera = SimulatedCamera.builder().id(TARGET).hostKeyFile(dir.resolve("camera-hostkey")).credentials("maint", "cam-secret").build();
        int port = camera.start();
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", port, null, camera.hostKeyOpenSsh(), "maint",
                TARGET + "/maint", List.of("acme-optics"), List.of(), null);
        b = new TestBroker(dir.resolve("data"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/maint", "cam-secret")).start();
        VendorSsh tech = new VendorSsh(b, "tech", dir);
        assertThat(tech.certify().status()).isEqualTo(200);
        String id = b.request("tech", TARGET, "30m");
        assertThat(b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ticket checked\"}").status()).isEqualTo(200);
        assertThat(tech.exec(TARGET, "status").exit()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode s = b.get("supervisor", "/api/sessions").json();
            return s.size() == 1 && s.get(0).hasNonNull("endReason");
        });
        assertThat(as("inspector", "login", "--url", b.url(), "--user", "inspector", "--password-stdin").exit()).isZero();
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (camera != null) camera.close();
    }

    private String[] period(String... more) {
        Instant now = Instant.now();
        return Stream.concat(Stream.of("audit", "export", "--from", now.minusSeconds(3600).toString(), "--to", now.plusSeconds(3600).toString()),
                Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void inspectorExportsThroughTheBrokerAndVerifiesOfflineWithOnlyTheBundle() throws Exception {
        assertThat(as("inspector", "audit", "keygen", "-o", dir.resolve("inspector").toString()).exit()).isZero();
        Path bundle = dir.resolve("out/bundle.zip");
        Files.createDirectories(bundle.getParent());
        Run export = as("inspector", period("--with-recordings", "--recipient", dir.resolve("inspector.pub.pem").toString(),
                "-o", bundle.toString()));
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.err()).contains("exported:");
        try (var files = Files.list(bundle.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("bundle.zip");
        }

        Path pub = Broker.publicKeyFile(b.dataDir);
        Run verify = as("anyone", "audit", "verify", bundle.toString(), "--key", pub.toString(),
                "--recipient-key", dir.resolve("inspector.key").toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("evidence bundle verified").contains("pinned with --key")
                .contains("sessions          1").contains("recipient: 1 verified, 1 decrypted");

        // the export itself is audited, and the same bundle verifies again later
        assertThat(b.get("inspector", "/api/audit?action=audit.export-completed").json()).hasSize(1);

        byte[] zip = Files.readAllBytes(bundle);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, java.util.Arrays.copyOf(zip, zip.length - 100));
        Run truncated = as("anyone", "audit", "verify", cut.toString(), "--key", pub.toString());
        assertThat(truncated.exit()).isEqualTo(1);
        assertThat(truncated.out()).contains("FAILED").contains("BUNDLE_CORRUPT");

        Run wrongKey = as("anyone", "audit", "verify", bundle.toString(), "--key", dir.resolve("inspector.pub.pem").toString());
        assertThat(wrongKey.exit()).as("an X25519 key is not a broker signing key").isEqualTo(2);

        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip");
        assertThat(as("anyone", "audit", "verify", junk.toString()).exit()).isEqualTo(2);
    }

    @Test
    void complianceReportAsHtmlAndPdf() throws Exception {
        Path html = dir.resolve("report.html");
        Run r = as("inspector", reportArgs(html));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(html)).contains("Vendor compliance report").contains("acme-optics").contains(TARGET)
                .contains("ticket checked").contains("<svg");
        Path pdf = dir.resolve("report.pdf");
        Run p = as("inspector", reportArgs(pdf));
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(new String(Files.readAllBytes(pdf), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(as("inspector", reportArgs(dir.resolve("report.txt"))).exit()).isEqualTo(2);
    }

    private String[] reportArgs(Path out) {
        Instant now = Instant.now();
        return new String[] {"audit", "report", "--from", now.minusSeconds(3600).toString(), "--to", now.plusSeconds(3600).toString(),
                "-o", out.toString()};
    }

    @Test
    void vendorsCannotExportAndNothingIsWritten() {
        assertThat(as("tech", "login", "--url", b.url(), "--user", "tech", "--password-stdin").exit()).isZero();
        Path bundle = dir.resolve("vendor.zip");
        Run r = as("tech", period("-o", bundle.toString()));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("only inspectors and admins");
        assertThat(bundle).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList()).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badInputExitsTwo() {
        Run r = as("inspector", "audit", "export", "--from", "yesterday", "--to", "2026-01-01", "-o", dir.resolve("x.zip").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--from");
        Run empty = as("inspector", "audit", "export", "--from", "2001-01-01", "--to", "2001-01-02", "-o", dir.resolve("x.zip").toString());
        assertThat(empty.exit()).as(empty.err()).isEqualTo(2);
        assertThat(empty.err()).contains("no audit events");
    }

    @Test
    void afterTheBrokerStopsTheDataFolderExportsTheSameEvidence() {
        b.close();
        b = null;
        Path bundle = dir.resolve("offline.zip");
        Run export = as("inspector", period("--data", dir.resolve("data").toString(), "--with-recordings", "-o", bundle.toString()));
        assertThat(export.exit()).as(export.err()).isZero();
        Run verify = as("anyone", "audit", "verify", bundle.toString(), "--key", Broker.publicKeyFile(dir.resolve("data")).toString());
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("sealed: 1 verified");
    }
}

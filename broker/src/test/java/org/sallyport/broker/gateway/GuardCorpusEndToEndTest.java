package org.sallyport.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.broker.testing.VendorSsh;
import org.sallyport.fixtures.corpus.DeviceFiles;
import org.sallyport.fixtures.corpus.SessionCorpus;
import org.sallyport.fixtures.corpus.SessionCorpus.Case;
import org.sallyport.fixtures.corpus.SessionCorpus.Expect;
import org.sallyport.fixtures.services.RequiredService;
import org.sallyport.fixtures.sshd.OpenSshServer;
import org.sallyport.policy.detect.DetectorConfig;
import org.sallyport.policy.detect.ExportDetectors;

/**
 * The guard's corpora end to end: stock {@code ssh} -> broker (default guard rules) -> a real OpenSSH sshd
 * with a real shell over a camera's files. Every export attempt is refused, blocked or terminated with an
 * audit event naming the rule, and nothing the detectors recognise reaches the vendor; no benign
 * maintenance session is interrupted or flagged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardCorpusEndToEndTest {
    private static final String TARGET = "cam-sshd-07";
    private static final String SHELL_TARGET = TARGET;
    private static final List<String> GUARD_ACTIONS = List.of("session.channel-refused", "session.guard-block", "session.guard-terminate");

    @TempDir
    static Path dir;
    Path device;
    OpenSshServer sshd;
    TestBroker b;
    VendorSsh tech;

    @BeforeAll
    void start() throws Exception {
        RequiredService.require("OpenSSH server and client", OpenSshServer.available() && VendorSsh.available(),
                "apt-get install openssh-server openssh-client");
        device = DeviceFiles.populate(dir.resolve("device"));
        sshd = new OpenSshServer();
        int port = sshd.start();
        String key = Files.readString(sshd.clientKeyPath());
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "camera", "127.0.0.1", port, null, sshd.hostKeyOpenSsh(), sshd.user(),
                TARGET + "/key", List.of("acme-optics"), List.of(), null);
        b = new TestBroker(dir.resolve("broker"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/key", key)).start();
        tech = new VendorSsh(b, "tech", dir);
        assertThat(tech.certify().status()).isEqualTo(200);
        String id = b.request("tech", TARGET, "4h");
        assertThat(b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        if (b != null) b.close();
        if (sshd != null) sshd.close();
    }

    Stream<Case> attempts() {
        return SessionCorpus.exportAttempts().stream().filter(c -> System.getProperty("corpus.only") == null
                || c.id().matches(System.getProperty("corpus.only")));
    }

    Stream<Case> benign() {
        return SessionCorpus.benignSessions().stream().filter(c -> System.getProperty("corpus.only") == null
                || c.id().matches(System.getProperty("corpus.only")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void everyExportAttemptIsStoppedAndAudited(Case c) throws Exception {
        int before = guardEvents().size();
        Outcome o = c.mode() == SessionCorpus.Mode.EXEC ? exec(c) : shell(c);
        assertThat(ExportDetectors.outputChain(DetectorConfig.withDefaults()).feed(o.out, 0, o.out.length))
                .as("what reached the vendor in %s", c.id()).isEmpty();
        String expectedAction = switch (c.expect()) {
            case REFUSE -> "session.channel-refused";
            case BLOCK -> "session.guard-block";
            case TERMINATE -> "session.guard-terminate";
            case PASS -> throw new AssertionError("an attempt cannot expect pass: " + c.id());
        };
        JsonNode event = await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<JsonNode> all = guardEvents();
            return all.size() > before ? all.get(all.size() - 1 - (all.size() - before - 1)) : null;
        }, e -> e != null);
        List<JsonNode> added = guardEvents().subList(before, guardEvents().size());
        assertThat(added).as(c.id() + " audit: " + added + "\nvendor stderr: " + o.err)
                .anySatisfy(e -> {
                    assertThat(e.get("action").asText()).isEqualTo(expectedAction);
                    if (c.rule() != null) assertThat(e.get("details").get("rule").asText()).isEqualTo(c.rule());
                });
        assertThat(event).isNotNull();
        if (c.expect() == Expect.TERMINATE) {
            assertThat(o.err).as(c.id()).contains("session ended by policy").contains("rule " + c.rule());
            JsonNode term = added.stream().filter(e -> e.get("action").asText().equals("session.guard-terminate")).findFirst().orElseThrow();
            assertThat(term.get("details").get("matchOffset").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(term.get("details").has("offset")).isTrue();
        }
        if (c.expect() == Expect.REFUSE) {
            assertThat(o.exit).as(c.id()).isNotZero();
            assertThat(o.err).as(c.id()).contains("rule " + c.rule());
        }
        if (c.expect() == Expect.BLOCK) {
            assertThat(o.continued).as(c.id() + ": the session goes on after a blocked line").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benign")
    void benignMaintenanceSessionsAreNeverInterrupted(Case c) throws Exception {
        int before = guardEvents().size();
        Outcome o = c.mode() == SessionCorpus.Mode.EXEC ? exec(c) : shell(c);
        assertThat(o.err).as(c.id()).doesNotContain("sallyport:");
        assertThat(o.exit).as(c.id() + ": " + o.err).isZero();
        assertThat(o.out.length).as(c.id()).isPositive();
        if (c.mode() == SessionCorpus.Mode.SHELL) assertThat(o.continued).as(c.id()).isTrue();
        assertThat(guardEvents().subList(before, guardEvents().size())).as(c.id()).isEmpty();
    }

    @Test
    void sftpSubsystemIsRefusedByTheChannelRuleAndAudited() throws Exception {
        int before = guardEvents().size();
        List<String> sftp = new ArrayList<>(tech.command(TARGET, false));
        sftp.add(sftp.size() - 1, "-s");
        sftp.add("sftp");
        Process p = new ProcessBuilder(sftp).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isNotZero();
        assertThat(err).contains("subsystems (sftp) are not allowed").contains("rule default.channel.subsystem");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(guardEvents().subList(before, guardEvents().size()))
                .anySatisfy(e -> assertThat(e.get("details").get("rule").asText()).isEqualTo("default.channel.subsystem")));
    }

    @Test
    void stockScpAndSftpClientsAreRefused() throws Exception {
        Path file = device.resolve("images/face0001.jpg");
        int before = guardEvents().size();
        List<String> base = tech.command(TARGET, false);
        List<String> opts = base.subList(1, base.size() - 2).stream().filter(s -> !s.equals("-p")).toList();
        // scp -O (legacy protocol) runs "scp -f" as an exec; modern scp uses the sftp subsystem
        for (boolean legacy : List.of(true, false)) {
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/scp", "-P", Integer.toString(b.broker().sshPort())));
            if (legacy) cmd.add("-O");
            List<String> rest = new ArrayList<>(opts);
            rest.remove(Integer.toString(b.broker().sshPort()));
            cmd.addAll(rest);
            cmd.add("tech+" + TARGET + "@127.0.0.1:" + file);
            cmd.add(dir.resolve("stolen-" + legacy + ".jpg").toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isNotZero();
            assertThat(dir.resolve("stolen-" + legacy + ".jpg")).as(out).doesNotExist();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(guardEvents().subList(before, guardEvents().size()))
                .extracting(e -> e.get("details").get("rule").asText())
                .contains("default.channel.scp", "default.channel.subsystem"));
    }

    private record Outcome(int exit, byte[] out, String err, boolean continued) {}

    private List<JsonNode> guardEvents() {
        List<JsonNode> out = new ArrayList<>();
        b.get("inspector", "/api/audit?limit=5000").json().forEach(e -> {
            if (GUARD_ACTIONS.contains(e.get("action").asText())) out.add(e);
        });
        out.sort(java.util.Comparator.comparingLong(e -> e.get("seq").asLong()));
        return out;
    }

    private Outcome exec(Case c) {
        VendorSsh.Result r = tech.exec(TARGET, String.join("\n", c.script(device)));
        return new Outcome(r.exit(), r.out(), r.err(), true);
    }

    /** Types the script into an interactive shell, one line at a time, then a marker and exit. */
    private Outcome shell(Case c) throws Exception {
        Process p = tech.start(SHELL_TARGET, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread.ofVirtual().start(() -> VendorSsh.copy(p.getInputStream(), out));
        Thread.ofVirtual().start(() -> VendorSsh.copy(p.getErrorStream(), err));
        OutputStream keys = p.getOutputStream();
        type(keys, "echo READY-$((40+2))\r");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> ran(out, "READY-42"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new AssertionError(c.id() + ": no shell; out:\n" + text(out) + "\nerr:\n" + err + "\nalive: " + p.isAlive()
                    + "\nsessions: " + b.get("supervisor", "/api/sessions").body() + "\naudit: " + guardEvents(), e);
        }
        boolean attack = c.expect() != Expect.PASS;
        for (String line : c.script(device)) {
            int blocksBefore = count(text(out), "input blocked by policy");
            type(keys, SessionCorpus.Case.keystrokes(line));
            if (attack) {
                await().atMost(Duration.ofSeconds(20)).until(() -> !p.isAlive() || count(text(out), "input blocked by policy") > blocksBefore);
            }
        }
        boolean continued = false;
        if (p.isAlive()) {
            try {
                type(keys, "echo END-$((40+2))\r");
                await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive() || ran(out, "END-42"));
                continued = ran(out, "END-42");
                type(keys, "exit\r");
            } catch (java.io.IOException e) {
                // the session ended meanwhile
            }
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(c.id() + ": shell did not end; output:\n" + text(out));
        }
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).until(() -> true);
        return new Outcome(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8), continued);
    }

    private static void type(OutputStream keys, String s) throws java.io.IOException {
        keys.write(s.getBytes(StandardCharsets.ISO_8859_1));
        keys.flush();
    }

    /** The shell ran {@code echo MARK-$((40+2))}: only its output, never the typed echo, holds "MARK-42". */
    private static boolean ran(ByteArrayOutputStream out, String marker) {
        return text(out).contains(marker);
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}

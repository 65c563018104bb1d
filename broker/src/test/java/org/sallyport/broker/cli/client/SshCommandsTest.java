package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sallyport.fixtures.services.RequiredService;

/** login's SSH certificate for vendor technicians, ssh-config, and connect (with a stand-in ssh that prints its argv). */
class SshCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    FakeBroker broker;
    Cli cli;
    Path home;

    @BeforeEach
    void start() throws Exception {
        RequiredService.require("ssh-keygen", Executables.onPath("ssh-keygen", new Cli(tmp).environment()).isPresent(),
                "apt-get install openssh-client");
        broker = FakeBroker.start()
                .json("POST", "/api/auth/login", 200, Samples.TECH_LOGIN)
                .json("POST", "/api/ssh/certificate", 200, Samples.CERTIFICATE)
                .json("GET", "/api/targets", 200, Samples.TARGETS);
        cli = new Cli(tmp);
        home = cli.cliHome().dir().toAbsolutePath();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    Cli.Result login(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("login", "--url", broker.url(), "-u", "tech", "--password-stdin"));
        args.addAll(List.of(extra));
        return cli.stdin("pw\n").run(args.toArray(String[]::new));
    }

    @Test
    void vendorLoginMakesAKeyPairAndSavesTheCertificateAndThePinnedHostKey() throws Exception {
        Cli.Result r = login();

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Logged in to " + broker.url() + " as tech (vendor-technician); token valid until"
                + " 2025-06-01T12:15:00Z\nSSH certificate for tech valid until 2025-06-01T12:15:00Z\n");
        assertThat(r.err()).isEmpty();

        Path key = home.resolve("id_ed25519");
        String pub = Files.readString(home.resolve("id_ed25519.pub")).strip();
        assertThat(pub).startsWith("ssh-ed25519 AAAA").endsWith(" sallyport");
        assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        FakeBroker.Exchange certify = broker.last();
        assertThat(certify.method() + " " + certify.path()).isEqualTo("POST /api/ssh/certificate");
        assertThat(certify.authorization()).isEqualTo("Bearer " + Samples.TOKEN);
        assertThat(JSON.readTree(certify.body()).path("publicKey").asText()).isEqualTo(pub);

        assertThat(Files.readString(home.resolve("id_ed25519-cert.pub"))).isEqualTo(Samples.CERTIFICATE_LINE + "\n");
        assertThat(Files.readString(home.resolve("known_hosts"))).isEqualTo("[127.0.0.1]:2222 " + Samples.HOST_KEY + "\n");
        try (var files = Files.list(home)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    "session.json", "id_ed25519", "id_ed25519.pub", "id_ed25519-cert.pub", "known_hosts");
        }

        JsonNode ssh = JSON.readTree(cli.cliHome().sessionFile().toFile()).path("ssh");
        assertThat(ssh.path("principal").asText()).isEqualTo("tech");
        assertThat(ssh.path("host").asText()).isEqualTo("127.0.0.1");
        assertThat(ssh.path("port").asInt()).isEqualTo(2222);
        assertThat(ssh.path("key").asText()).isEqualTo(key.toString());
        assertThat(ssh.path("certificate").asText()).isEqualTo(key + "-cert.pub");
        assertThat(ssh.path("knownHosts").asText()).isEqualTo(home.resolve("known_hosts").toString());
        assertThat(ssh.path("validBefore").asText()).isEqualTo("2025-06-01T12:15:00Z");
    }

    @Test
    void aSecondLoginKeepsTheKeyPairAndRenewsTheCertificate() throws Exception {
        login();
        String pub = Files.readString(home.resolve("id_ed25519.pub"));
        broker.json("POST", "/api/ssh/certificate", 200, Samples.CERTIFICATE.replace(" tech\"", " renewed\""));

        assertThat(login().exit()).isZero();

        assertThat(Files.readString(home.resolve("id_ed25519.pub"))).isEqualTo(pub);
        assertThat(Files.readString(home.resolve("id_ed25519-cert.pub"))).endsWith(" renewed\n");
    }

    @Test
    void supervisorLoginDoesNotAskForACertificate() throws Exception {
        broker.json("POST", "/api/auth/login", 200, Samples.login("sam", "supervisor"));

        Cli.Result r = cli.stdin("pw\n").run("login", "--url", broker.url(), "-u", "sam", "--password-stdin");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain("SSH");
        assertThat(broker.exchanges).extracting(FakeBroker.Exchange::path).containsExactly("/api/auth/login");
        assertThat(Files.exists(home.resolve("id_ed25519"))).isFalse();
        assertThat(cli.cliHome().session().orElseThrow().ssh()).isNull();
    }

    @Test
    void olderBrokerWithoutCertificatesIsAWarningAndLoginStillSucceeds() {
        broker.problem("POST", "/api/ssh/certificate", 404, "Not found", "no such endpoint: POST /api/ssh/certificate", null);

        Cli.Result r = login();

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("Logged in to ").doesNotContain("SSH certificate");
        assertThat(r.err()).startsWith("warning: broker at " + broker.url() + " issues no SSH certificates").hasLineCount(1);
        Session saved = cli.cliHome().session().orElseThrow();
        assertThat(saved.accessToken()).isEqualTo(Samples.TOKEN);
        assertThat(saved.ssh()).isNull();
    }

    @Test
    void keyOptionCertifiesTheGivenPairAndWritesTheCertificateBesideIt() throws Exception {
        Path key = Files.writeString(tmp.resolve("laptop-key"), "not read by sallyport");
        Files.writeString(tmp.resolve("laptop-key.pub"), Samples.HOST_KEY + " me@laptop\n");

        Cli.Result r = login("--key", key.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(JSON.readTree(broker.last().body()).path("publicKey").asText()).isEqualTo(Samples.HOST_KEY + " me@laptop");
        assertThat(Files.readString(tmp.resolve("laptop-key-cert.pub"))).isEqualTo(Samples.CERTIFICATE_LINE + "\n");
        assertThat(Files.readString(key)).isEqualTo("not read by sallyport");
        assertThat(home.resolve("id_ed25519")).doesNotExist();
        assertThat(cli.cliHome().session().orElseThrow().ssh().key()).isEqualTo(key.toAbsolutePath().toString());
    }

    @Test
    void keyWithoutItsPublicHalfExitsTwoAfterSavingTheToken() throws Exception {
        Path key = Files.writeString(tmp.resolve("lonely"), "private");

        Cli.Result r = login("--key", key.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: logged in, but no SSH certificate: --key: no public key " + key + ".pub");
        assertThat(cli.cliHome().session().orElseThrow().accessToken()).isEqualTo(Samples.TOKEN);
        assertThat(broker.exchanges).extracting(FakeBroker.Exchange::path).doesNotContain("/api/ssh/certificate");
    }

    @Test
    void unsupportedKeyIsRefusedNamingTheKeyFile() throws Exception {
        Path key = Files.writeString(tmp.resolve("old-rsa"), "private");
        Files.writeString(tmp.resolve("old-rsa.pub"), "ssh-dss AAAAB3NzaC1kc3M me@old\n");
        broker.problem("POST", "/api/ssh/certificate", 400, "Invalid input", "publicKey: unsupported key type ssh-dss", "publicKey");

        Cli.Result r = login("--key", key.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: logged in, but no SSH certificate: --key " + key
                + ": publicKey: unsupported key type ssh-dss\n");
    }

    @Test
    void missingSshKeygenExitsTwoSayingWhatToInstall() throws Exception {
        cli.env("PATH", Files.createDirectory(tmp.resolve("empty-bin")).toString());

        Cli.Result r = login();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: logged in, but no SSH certificate: ssh-keygen not found on PATH: install the"
                + " OpenSSH client, or pass --key FILE with an existing key pair\n");
    }

    @Test
    void anAnswerThatWouldAddALineToKnownHostsIsRefused() {
        broker.json("POST", "/api/ssh/certificate", 200, Samples.CERTIFICATE.replace(" broker\"",
                "\\n@cert-authority * ssh-ed25519 AAAAevil\""));

        Cli.Result r = login();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: logged in, but no SSH certificate: broker answered /api/ssh/certificate with an"
                + " unusable hostKey").hasLineCount(1);
        assertThat(home.resolve("known_hosts")).doesNotExist();
        assertThat(cli.cliHome().session().orElseThrow().ssh()).isNull();
    }

    @Test
    void sshConfigHasAHostBlockPerTargetWithAbsolutePaths() {
        login();

        Cli.Result r = cli.run("ssh-config");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("# Written by sallyport ssh-config for tech at " + broker.url() + ".\n"
                + "# The certificate is renewed by sallyport login; this file stays valid.\n"
                + block("cam-anz-01") + block("lpr-anz-02"));
        assertThat(broker.last().authorization()).isEqualTo("Bearer " + Samples.TOKEN);
    }

    private String block(String target) {
        return "\nHost " + target + "\n"
                + "  HostName 127.0.0.1\n"
                + "  Port 2222\n"
                + "  User tech+" + target + "\n"
                + "  IdentityFile " + home.resolve("id_ed25519") + "\n"
                + "  CertificateFile " + home.resolve("id_ed25519-cert.pub") + "\n"
                + "  IdentitiesOnly yes\n"
                + "  UserKnownHostsFile " + home.resolve("known_hosts") + "\n"
                + "  StrictHostKeyChecking yes\n"
                + "  ForwardAgent no\n"
                + "  ForwardX11 no\n"
                + "  ClearAllForwardings yes\n"
                + "  ServerAliveInterval 15\n";
    }

    @Test
    void sshConfigOutputWritesTheFileAndLeavesOutIdsSshCannotUse() throws Exception {
        login();
        broker.json("GET", "/api/targets", 200, """
                [{"id":"cam-anz-01"},{"id":"evil\\n  ProxyCommand sh"}]""");
        Path file = tmp.resolve("ssh_config");

        Cli.Result r = cli.run("ssh-config", "--output", file.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Wrote 1 host(s) to " + file + "; connect with: ssh -F " + file + " TARGET\n");
        assertThat(r.err()).startsWith("warning: left out target with an id ssh cannot use: evil");
        assertThat(Files.readString(file)).contains(block("cam-anz-01")).doesNotContain("ProxyCommand");
    }

    @Test
    void sshConfigWithoutSshAccessExitsTwo() {
        cli.loggedIn(broker.url(), Samples.TOKEN);

        Cli.Result r = cli.run("ssh-config");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: no SSH certificate in this session");
    }

    @Test
    void connectRunsSshWithTheGatewayOptionsAndExitsWithItsCode() throws Exception {
        login();
        Path args = tmp.resolve("args");
        cli.env(ConnectCommand.ENV_SSH, fakeSsh(args).toString());

        Cli.Result r = cli.run("connect", "cam-anz-01");

        assertThat(r.exit()).as(r.toString()).isEqualTo(7);
        assertThat(Files.readAllLines(args)).containsExactly(
                "-p", "2222",
                "-i", home.resolve("id_ed25519").toString(),
                "-o", "CertificateFile=" + home.resolve("id_ed25519-cert.pub"),
                "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + home.resolve("known_hosts"),
                "-o", "StrictHostKeyChecking=yes",
                "-o", "ForwardAgent=no",
                "-o", "ForwardX11=no",
                "-o", "ClearAllForwardings=yes",
                "-o", "ServerAliveInterval=15",
                "--",
                "tech+cam-anz-01@127.0.0.1");
    }

    @Test
    void connectPassesTheRemoteCommandAfterTheDestination() throws Exception {
        login();
        Path args = tmp.resolve("args");
        cli.env(ConnectCommand.ENV_SSH, fakeSsh(args).toString());

        Cli.Result r = cli.run("connect", "cam-anz-01", "--", "ls", "-la", "/var/log");

        assertThat(r.exit()).as(r.toString()).isEqualTo(7);
        List<String> argv = Files.readAllLines(args);
        assertThat(argv.subList(argv.size() - 5, argv.size()))
                .containsExactly("--", "tech+cam-anz-01@127.0.0.1", "ls", "-la", "/var/log");
        assertThat(argv).doesNotContain("-t");
    }

    @Test
    void connectWithAnExpiredCertificateExitsTwoWithoutRunningSsh() throws Exception {
        login();
        Path args = tmp.resolve("args");
        cli.env(ConnectCommand.ENV_SSH, fakeSsh(args).toString());

        Cli.Result r = cli.at(Instant.parse("2025-06-01T12:15:00Z")).run("connect", "cam-anz-01");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: SSH certificate expired; run sallyport login\n");
        assertThat(args).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CAM-ANZ-01", "tech+cam-anz-01", "cam anz", "-oProxyCommand=sh", ".hidden", ""})
    void connectToABadTargetExitsTwoNamingIt(String target) throws Exception {
        login();
        Path args = tmp.resolve("args");
        cli.env(ConnectCommand.ENV_SSH, fakeSsh(args).toString());

        Cli.Result r = cli.run("connect", "--", target);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: TARGET: not a target id").contains(": " + target);
        assertThat(args).doesNotExist();
    }

    @Test
    void connectWithoutSshOnPathSaysSo() {
        login();
        cli.env("PATH", tmp.toString());

        Cli.Result r = cli.run("connect", "cam-anz-01");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: ssh not found on PATH: install the OpenSSH client, or set SALLYPORT_SSH to its path\n");
    }

    @Test
    void logoutDeletesTheCertificate() {
        login();

        assertThat(cli.run("logout").exit()).isZero();

        assertThat(home.resolve("id_ed25519-cert.pub")).doesNotExist();
        assertThat(home.resolve("id_ed25519")).exists();
    }

    @Test
    void sessionFilesWrittenBeforeSshAccessStillLoad() throws Exception {
        Files.createDirectories(home);
        Files.writeString(cli.cliHome().sessionFile(), """
                {"url":"http://127.0.0.1:8080","username":"alice","accessToken":"t","expiresAt":"2025-06-01T12:15:00Z","caFile":null}""");

        Session s = cli.cliHome().session().orElseThrow();

        assertThat(s.accessToken()).isEqualTo("t");
        assertThat(s.ssh()).isNull();
    }

    /**
     * A stand-in ssh: prints its arguments one per line into {@code argsFile} and exits 7. Not to stdout: connect hands
     * ssh the JVM's own stdout, which is surefire's channel to the forked test JVM.
     */
    private Path fakeSsh(Path argsFile) throws Exception {
        Path script = tmp.resolve("fake-ssh");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argsFile + "'\nexit 7\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}

package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginCommandTest {
    @TempDir
    Path tmp;

    FakeBroker broker;
    Cli cli;

    @BeforeEach
    void start() throws Exception {
        broker = FakeBroker.start().json("POST", "/api/auth/login", 200, Samples.LOGIN);
        cli = new Cli(tmp);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void loginSavesOwnerOnlySessionAndNeverPrintsTheToken() throws Exception {
        Cli.Result r = cli.stdin("s3cret-pw\n").run("login", "--url", broker.url(), "--user", "alice", "--password-stdin");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Logged in to " + broker.url()
                + " as alice (vendor-technician); token valid until 2025-06-01T12:15:00Z\n");
        assertThat(r.out() + r.err()).doesNotContain(Samples.TOKEN).doesNotContain("s3cret-pw");

        FakeBroker.Exchange login = broker.exchanges.getFirst(); // then the SSH certificate, as alice is a vendor
        assertThat(login.path()).isEqualTo("/api/auth/login");
        JsonNode sent = new ObjectMapper().readTree(login.body());
        assertThat(sent.path("username").asText()).isEqualTo("alice");
        assertThat(sent.path("password").asText()).isEqualTo("s3cret-pw");
        assertThat(login.authorization()).isNull();

        Path dir = cli.cliHome().dir();
        Path file = cli.cliHome().sessionFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(dir)) { // the key pair is the vendor's SSH key (see SshCommandsTest); no temporary files
            assertThat(left).containsExactlyInAnyOrder(file, dir.resolve("id_ed25519"), dir.resolve("id_ed25519.pub"));
        }
        JsonNode saved = new ObjectMapper().readTree(file.toFile());
        assertThat(saved.path("url").asText()).isEqualTo(broker.url());
        assertThat(saved.path("username").asText()).isEqualTo("alice");
        assertThat(saved.path("accessToken").asText()).isEqualTo(Samples.TOKEN);
        assertThat(saved.path("expiresAt").asText()).isEqualTo("2025-06-01T12:15:00Z");
        assertThat(saved.has("caFile")).isTrue();
    }

    @Test
    void tokenPrintsTheSavedTokenAndNothingElse() {
        cli.stdin("pw\n").run("login", "--url", broker.url(), "-u", "alice", "--password-stdin");

        Cli.Result r = cli.run("token");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(Samples.TOKEN + "\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void tokenWithoutLoginOrAfterExpiryExitsTwo() {
        Cli.Result none = cli.run("token");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("error: not logged in / token expired — run sallyport login\n");

        cli.stdin("pw\n").run("login", "--url", broker.url(), "-u", "alice", "--password-stdin");
        Cli.Result expired = cli.at(Instant.parse("2025-06-01T12:15:00Z")).run("token");
        assertThat(expired.exit()).isEqualTo(2);
        assertThat(expired.out()).isEmpty();
        assertThat(expired.err()).contains("token expired");
    }

    @Test
    void loginWithoutTerminalOrStdinAsksForPasswordStdin() {
        Cli.Result r = cli.run("login", "--url", broker.url(), "--user", "alice");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: no terminal to ask for the password; use --password-stdin\n");
        assertThat(broker.exchanges).isEmpty();
    }

    @Test
    void wrongPasswordIsAOneLineErrorWithExitTwo() {
        broker.problem("POST", "/api/auth/login", 401, "Unauthenticated", "username or password is wrong", null);

        Cli.Result r = cli.stdin("nope\n").run("login", "--url", broker.url(), "--user", "alice", "--password-stdin");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: username or password is wrong\n");
        assertThat(Files.exists(cli.cliHome().sessionFile())).isFalse();
    }

    @Test
    void urlDefaultsToSallyportUrlThenToTheSavedSession() {
        cli.env(ConnectionOptions.ENV_URL, broker.url());
        assertThat(cli.stdin("pw\n").run("login", "-u", "alice", "--password-stdin").exit()).isZero();

        cli.env(ConnectionOptions.ENV_URL, "http://127.0.0.1:9");
        Cli.Result again = cli.stdin("pw\n").run("login", "-u", "alice", "--password-stdin");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).startsWith("Logged in to " + broker.url());
    }

    @Test
    void logoutForgetsTheSession() {
        cli.stdin("pw\n").run("login", "--url", broker.url(), "-u", "alice", "--password-stdin");

        assertThat(cli.run("logout").out()).isEqualTo("Logged out.\n");
        assertThat(cli.run("token").exit()).isEqualTo(2);
    }
}

package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.Sso;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.fixtures.junit.WithKeycloak;
import org.sallyport.fixtures.keycloak.KeycloakBrowser;
import org.sallyport.fixtures.keycloak.KeycloakServer;
import picocli.CommandLine;

/** {@code sallyport login} with single sign-on: the device grant against a real Keycloak, approved in "a browser". */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoLoginTest {
    private static final Pattern COMPLETE = Pattern.compile("\\(or open (\\S+)\\)");

    KeycloakServer keycloak;
    TestBroker broker;

    @BeforeAll
    void start(KeycloakServer keycloak, @TempDir Path dir) {
        this.keycloak = keycloak;
        broker = new TestBroker(dir, MutableClock.atSystemNow()).identity(Sso.identity(keycloak)).start();
    }

    @AfterAll
    void stop() {
        if (broker != null) broker.close();
    }

    /** Runs login in the background, approves the printed code as {@code user} on Keycloak's pages, returns the result. */
    private Cli.Result loginApprovedBy(Cli cli, String user, String... args) throws Exception {
        CommandLine cl = new CommandLine(new TestRoot());
        ClientCli.register(cl, cli.environment());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
        await().atMost(Duration.ofSeconds(30)).until(() -> COMPLETE.matcher(out.toString()).find() || exit.isDone());
        Matcher m = COMPLETE.matcher(out.toString());
        if (m.find()) {
            KeycloakBrowser browser = new KeycloakBrowser();
            KeycloakBrowser.Page done = browser.signIn(browser.open(m.group(1)), user, KeycloakServer.PASSWORD);
            assertThat(done.status()).isEqualTo(200);
        }
        return new Cli.Result(exit.get(60, TimeUnit.SECONDS), out.toString(), err.toString());
    }

    @Test
    void vendorSignsInFromTheTerminalAndGetsAnSshCertificate(@TempDir Path tmp) throws Exception {
        Cli cli = new Cli(tmp);
        Cli.Result r = loginApprovedBy(cli, "tech", "login", "--url", broker.url());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("To sign in, open " + keycloak.issuer() + "/device in a browser and enter the code ")
                .contains("Logged in to " + broker.url() + " as tech (vendor-technician)")
                .contains("SSH certificate for tech valid until");
        String saved = Files.readString(cli.cliHome().sessionFile());
        String token = saved.replaceAll("(?s).*\"accessToken\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertThat(token).startsWith("eyJ");
        assertThat(r.out() + r.err()).doesNotContain(token);
        assertThat(Files.readString(cli.cliHome().dir().resolve("id_ed25519-cert.pub"))).startsWith("ssh-ed25519-cert-v01@openssh.com ");

        // The saved SSO token works for the other commands.
        Cli.Result targets = cli.run("requests");
        assertThat(targets.exit()).as(targets.toString()).isZero();
    }

    @Test
    void ssoFlagSignsInASupervisorWithoutCertificate(@TempDir Path tmp) throws Exception {
        Cli.Result r = loginApprovedBy(new Cli(tmp), "supervisor", "login", "--sso", "--url", broker.url());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("as supervisor (supervisor)").doesNotContain("SSH certificate");
    }

    @Test
    void ssoAgainstALocalAccountsBrokerIsABadInvocation(@TempDir Path tmp, @TempDir Path data) {
        try (TestBroker local = new TestBroker(data, MutableClock.atSystemNow()).start()) {
            Cli cli = new Cli(tmp);
            Cli.Result sso = cli.run("login", "--sso", "--url", local.url());
            assertThat(sso.exit()).isEqualTo(2);
            assertThat(sso.err()).contains("--sso: the broker at " + local.url() + " uses local accounts");
            Cli.Result none = cli.run("login", "--url", local.url());
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.err()).contains("--user: required");
        }
    }
}

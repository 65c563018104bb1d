package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifyCommandTest {
    @TempDir
    Path tmp;

    FakeBroker broker;
    Cli cli;

    @BeforeEach
    void start() throws Exception {
        broker = FakeBroker.start();
        cli = new Cli(tmp).loggedIn(broker.url(), Samples.TOKEN);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void intactChainOnTheBrokerExitsZeroWithSummary() {
        broker.json("GET", "/api/audit/verify", 200, Samples.VERIFY_OK);

        Cli.Result r = cli.run("audit", "verify");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("audit chain OK: 42 events (seq 1..42), 3 signed checkpoints, head 9f2c\n");
        assertThat(broker.last().authorization()).isEqualTo("Bearer " + Samples.TOKEN);
    }

    @Test
    void brokenChainOnTheBrokerExitsOneNamingTheEvent() {
        broker.json("GET", "/api/audit/verify", 200, Samples.VERIFY_BROKEN);

        Cli.Result r = cli.run("audit", "verify");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("audit chain BROKEN at event 17: prevHash does not match the hash of event 16\n");
    }

    @Test
    void notAnInspectorExitsTwo() {
        broker.problem("GET", "/api/audit/verify", 403, "Forbidden", "only inspectors and admins read the audit trail", null);

        Cli.Result r = cli.run("audit", "verify");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: only inspectors and admins read the audit trail\n");
    }

    @Test
    void offlineVerificationUsesTheInjectedVerifierWithoutLogin() throws IOException {
        Path data = Files.createDirectory(tmp.resolve("data"));
        cli.cliHome().clear();
        cli.offlineVerifier(dir -> {
            assertThat(dir).isEqualTo(data);
            return new VerificationOutcome(true, 5, 1, 5, "abcd", 1, null, null, null);
        });

        Cli.Result ok = cli.run("audit", "verify", "--data", data.toString());
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).isEqualTo("audit chain OK: 5 events (seq 1..5), 1 signed checkpoints, head abcd\n");

        cli.offlineVerifier(dir -> new VerificationOutcome(false, 5, 1, 5, "abcd", 0, null, "checkpoint-signature",
                "checkpoint at seq 4: signature does not verify"));
        Cli.Result broken = cli.run("audit", "verify", "--data", data.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).isEqualTo("audit chain BROKEN: checkpoint at seq 4: signature does not verify\n");
        assertThat(broker.exchanges).isEmpty();
    }

    @Test
    void offlineVerificationOfUnusableInputExitsTwo() throws IOException {
        Cli.Result missing = cli.offlineVerifier(dir -> null).run("audit", "verify", "--data", tmp.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: --data: no such folder: ");

        Path data = Files.createDirectory(tmp.resolve("data"));
        Cli.Result notAStore = cli.offlineVerifier(dir -> {
            throw new UnusableInputException("--data: " + dir + " holds no broker store");
        }).run("audit", "verify", "--data", data.toString());
        assertThat(notAStore.exit()).isEqualTo(2);
        assertThat(notAStore.err()).contains("holds no broker store");

        Cli.Result unavailable = cli.offlineVerifier(null).run("audit", "verify", "--data", data.toString());
        assertThat(unavailable.exit()).isEqualTo(2);
        assertThat(unavailable.err()).contains("not available");
    }

    @Test
    void auditWithoutSubcommandIsAUsageError() {
        Cli.Result r = cli.run("audit");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing subcommand");
    }
}

package org.sallyport.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.store.JdbcStore;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

/** The real `sallyport` root command: offline audit verification, help, and exit codes for bad input. */
class SallyportCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void offlineVerifyPassesOnAStoppedBrokerAndFailsNamingTheEditedEvent() throws Exception {
        try (TestBroker b = new TestBroker(dir, MutableClock.atSystemNow()).start()) {
            String id = b.request("tech", "cam-anz-01", "1h");
            b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}");
        }
        Run ok = run("audit", "verify", "--data", dir.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("audit chain OK");

        try (var c = DriverManager.getConnection(JdbcStore.h2FileUrl(dir), "sa", "");
             var s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_event SET actor = 'nobody' WHERE seq = 3");
        }
        Run broken = run("audit", "verify", "--data", dir.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out() + broken.err()).contains("BROKEN at event 3");
    }

    @Test
    void offlineVerifyOfAFolderThatIsNoDataFolderIsUnusableInput() {
        Run r = run("audit", "verify", "--data", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("error:").contains("public key");
    }

    @Test
    void serveWithABrokenConfigExitsTwoNamingTheField() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        java.nio.file.Files.writeString(cfg, "http: { port: 99999 }\n");
        Run r = run("serve", "--config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("http.port").doesNotContain("Exception");
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"serve", "login", "token", "request", "requests", "approve", "deny", "cancel", "revoke",
                "grants", "credentials", "hash-password"}) {
            Run r = run(cmd, "--help");
            assertThat(r.exit()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: sallyport " + cmd);
        }
        Run audit = run("audit", "verify", "--help");
        assertThat(audit.exit()).isZero();
    }

    @Test
    void unknownOptionIsUnusableInput() {
        assertThat(run("requests", "--colour").exit()).isEqualTo(2);
    }
}

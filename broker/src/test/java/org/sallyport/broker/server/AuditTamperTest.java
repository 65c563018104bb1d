package org.sallyport.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.store.JdbcStore;
import org.sallyport.broker.store.Store;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.recorder.crypto.VerifyingKey;

/**
 * Someone with database access edits, deletes, inserts or reorders audit rows of a stopped broker; the
 * verifier names the first event that does not verify.
 */
class AuditTamperTest {
    @TempDir
    Path dir;
    long events;

    @BeforeEach
    void produceAChain() {
        try (TestBroker b = new TestBroker(dir, MutableClock.atSystemNow()).start()) {
            for (int i = 0; i < 4; i++) {
                String id = b.request("tech", "cam-anz-01", "1h");
                b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok " + i + "\"}");
            }
        }
        AuditLog.Outcome clean = verify();
        assertThat(clean.ok()).as(clean.message()).isTrue();
        events = clean.events();
        assertThat(events).isGreaterThan(15);
    }

    @Test
    void editedEventIsNamed() {
        sql(s -> exec(s, "UPDATE audit_event SET actor = 'somebody-else' WHERE seq = 7"));
        assertBrokenAt(7);
    }

    @Test
    void editedDetailsAreNamed() {
        sql(s -> exec(s, "UPDATE audit_event SET details = REPLACE(details, 'ok 1', 'ok 9') WHERE details LIKE '%ok 1%'"));
        AuditLog.Outcome o = verify();
        assertThat(o.ok()).isFalse();
        assertThat(o.failureKind()).isEqualTo("HASH_MISMATCH");
    }

    @Test
    void deletedEventIsNamed() {
        sql(s -> exec(s, "DELETE FROM audit_event WHERE seq = 9"));
        AuditLog.Outcome o = verify();
        assertThat(o.ok()).isFalse();
        assertThat(o.failedSeq()).isIn(9L, 10L);
    }

    @Test
    void insertedEventIsNamed() {
        sql(s -> {
            exec(s, "UPDATE audit_event SET seq = seq + 1000 WHERE seq >= 5");
            exec(s, "UPDATE audit_event SET seq = seq - 999 WHERE seq >= 1005");
            exec(s, "INSERT INTO audit_event (seq, event_time, actor, action, object_type, object_id, details, prev_hash, hash) "
                    + "SELECT 5, event_time, 'mallory', 'request.approved', object_type, object_id, details, prev_hash, hash "
                    + "FROM audit_event WHERE seq = 4");
        });
        assertBrokenAt(5);
    }

    @Test
    void reorderedEventsAreNamed() {
        sql(s -> {
            exec(s, "UPDATE audit_event SET seq = -1 WHERE seq = 6");
            exec(s, "UPDATE audit_event SET seq = 6 WHERE seq = 7");
            exec(s, "UPDATE audit_event SET seq = 7 WHERE seq = -1");
        });
        assertBrokenAt(6);
    }

    @Test
    void truncatedTailBehindACheckpointIsNoticed() {
        sql(s -> exec(s, "DELETE FROM audit_event WHERE seq > 3"));
        AuditLog.Outcome o = verify();
        assertThat(o.ok()).isFalse();
        assertThat(o.failureKind()).isEqualTo("CHECKPOINT_MISSING_EVENT");
    }

    private void assertBrokenAt(long seq) {
        AuditLog.Outcome o = verify();
        assertThat(o.ok()).isFalse();
        assertThat(o.failedSeq()).isEqualTo(seq);
        assertThat(o.message()).contains(Long.toString(seq));
    }

    private AuditLog.Outcome verify() {
        try (Store store = JdbcStore.open(JdbcStore.h2FileUrl(dir), "sa", "")) {
            VerifyingKey key = VerifyingKey.fromPem(java.nio.file.Files.readString(Broker.publicKeyFile(dir)));
            return AuditLog.verify(store, key);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private void sql(Consumer<Statement> work) {
        try (Connection c = DriverManager.getConnection(JdbcStore.h2FileUrl(dir), "sa", "");
             Statement s = c.createStatement()) {
            work.accept(s);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void exec(Statement s, String sql) {
        try {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }
}

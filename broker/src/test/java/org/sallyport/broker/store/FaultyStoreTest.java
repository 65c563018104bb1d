package org.sallyport.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.error.UnavailableException;
import org.sallyport.broker.store.FaultInjectingStore.Fault;

/**
 * The store contract through {@link FaultInjectingStore} with no fault on (the wrapper is transparent), then
 * each fault: the store fails closed and leaves nothing half-written.
 */
class FaultyStoreTest extends StoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected Store openStore() {
        return new FaultInjectingStore(JdbcStore.open(JdbcStore.h2FileUrl(dataDir), "sa", ""));
    }

    private FaultInjectingStore faulty() {
        return (FaultInjectingStore) store;
    }

    @Test
    void auditAppendFailureRollsBackTheChangeItDescribes() {
        faulty().inject(Fault.FAIL_AUDIT_APPEND);

        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.insertRequest(request("r1", "acme", Set.of("north"), T0));
            return tx.appendAudit(draft("tech", "request.create", "r1"), T0);
        })).isInstanceOf(UnavailableException.class);

        faulty().healAll();
        assertThat(find("r1")).isEmpty();
        assertThat(lastEvent()).isEmpty();
    }

    @Test
    void commitFailureLeavesNothing() {
        faulty().inject(Fault.FAIL_COMMIT);

        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.insertRequest(request("r1", "acme", Set.of("north"), T0));
            return tx.appendAudit(draft("tech", "request.create", "r1"), T0);
        })).isInstanceOf(UnavailableException.class).hasMessageContaining("commit");

        faulty().heal(Fault.FAIL_COMMIT);
        assertThat(find("r1")).isEmpty();
        assertThat(append(draft("tech", "request.create", "r1"), T0).seq()).isEqualTo(1);
    }

    @Test
    void databaseDownFailsClosedAndRecovers() {
        faulty().inject(Fault.DATABASE_DOWN);

        assertThat(store.ping()).isFalse();
        assertThatThrownBy(() -> store.inTransaction(tx -> tx.lastAudit())).isInstanceOf(UnavailableException.class);

        faulty().heal(Fault.DATABASE_DOWN);
        assertThat(store.ping()).isTrue();
        assertThat(append(draft("tech", "login", null), T0).seq()).isEqualTo(1);
    }

    @Test
    void workExceptionsPassThroughTheWrapperUnchanged() {
        IllegalArgumentException bad = new IllegalArgumentException("bad");
        faulty().inject(Fault.FAIL_COMMIT);

        assertThatThrownBy(() -> store.inTransaction(tx -> {
            throw bad;
        })).isSameAs(bad);
    }

    @Override
    protected void rawSql(String sql) {
        new RawSql(JdbcStore.h2FileUrl(dataDir), "sa", "").exec(sql);
    }

    @Override
    protected String rawQueryString(String sql) {
        return new RawSql(JdbcStore.h2FileUrl(dataDir), "sa", "").queryString(sql);
    }
}

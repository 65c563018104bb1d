package org.sallyport.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL, each test in a schema of its own ({@code t_<random>}, dropped
 * afterwards), so runs neither see nor disturb each other.
 */
class PostgresStoreTest extends StoreContract {
    private final String schema = "t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final RawSql raw = new RawSql(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.USER,
            PostgresTestDatabase.PASSWORD);

    @Override
    protected Store openStore() {
        // Checked here, per test, so that a missing PostgreSQL shows up as every test skipped, not as nothing run.
        PostgresTestDatabase.require();
        return JdbcStore.open(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.USER,
                PostgresTestDatabase.PASSWORD, schema);
    }

    @AfterEach
    void dropSchema() {
        if (store == null) return;
        store.close();
        raw.exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void migratesIntoItsOwnSchema() {
        assertThat(raw.queryString("SELECT table_schema FROM information_schema.tables WHERE table_name = 'audit_event'"
                + " AND table_schema = '" + schema + "'")).isEqualTo(schema);
        assertThat(store.describe()).isEqualTo("PostgreSQL " + hostPortDb() + " schema " + schema);
    }

    private static String hostPortDb() {
        String rest = PostgresTestDatabase.URL.substring("jdbc:postgresql://".length());
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    @Override
    protected void rawSql(String sql) {
        raw.exec(sql);
    }

    @Override
    protected String rawQueryString(String sql) {
        return raw.queryString(sql);
    }
}

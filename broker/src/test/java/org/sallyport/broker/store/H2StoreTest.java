package org.sallyport.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on embedded H2 in a file of a fresh directory, as {@code sallyport serve} runs by default. */
class H2StoreTest extends StoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected Store openStore() {
        return JdbcStore.open(JdbcStore.h2FileUrl(dataDir), "sa", "");
    }

    @Test
    void describesTheFileItWritesTo() {
        assertThat(store.describe()).isEqualTo("H2 file " + dataDir.toAbsolutePath().resolve("db").resolve("sallyport"));
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

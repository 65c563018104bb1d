package org.sallyport.broker.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.sallyport.broker.error.UnavailableException;

/**
 * {@link Store} over JDBC: embedded H2 (in PostgreSQL mode) or PostgreSQL, one set of Flyway migrations
 * for both, a small HikariCP pool.
 *
 * <p>Security guarantees: no message this class produces contains the password, whether it was given as
 * an argument or as a {@code password=} URL parameter. A transaction either commits whole or not at all,
 * so a state change never exists without the audit events written with it.
 *
 * <p>Restrictions: nested {@link #inTransaction} calls on one thread are refused; every method blocks.
 *
 * <p>Threading: thread-safe; each transaction has a connection of its own.
 */
public final class JdbcStore implements Store {

    // ---- defaults, in one place ----
    static final String POOL_NAME = "sallyport-store";
    /** A broker's transactions are short; 8 connections cover a replica's worker threads without crowding PostgreSQL. */
    static final int MAX_POOL_SIZE = 8;
    /** Fail closed quickly when the database is gone, rather than hold a request for Hikari's default 30 s. */
    static final long CONNECTION_TIMEOUT_MS = 5_000;
    /**
     * H2 waits only 1 s for a row lock by default; audit appenders queue on the chain head, so under a burst
     * the last one would time out although nothing is wrong.
     */
    static final int H2_LOCK_TIMEOUT_MS = 10_000;
    static final int PING_TIMEOUT_S = 2;

    private final HikariDataSource pool;
    /** Guards against nested transactions, which would silently use a second connection and break atomicity. */
    private final ThreadLocal<Boolean> transactionOnThisThread = new ThreadLocal<>();
    private final String description;

    private JdbcStore(HikariDataSource pool, String description) {
        this.pool = pool;
        this.description = description;
    }

    /** Opens a pool on {@code jdbcUrl} and migrates the schema; see {@link #open(String, String, String, String)}. */
    public static JdbcStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, null);
    }

    /**
     * Opens a pool on {@code jdbcUrl} and brings the schema up to date with the migrations in
     * {@code classpath:db/migration}.
     *
     * @param schemaOrNull schema to use and migrate (created if missing); null for the connection's default
     * @throws UnavailableException if the database cannot be reached or migrated; names the URL without password
     */
    public static JdbcStore open(String jdbcUrl, String user, String password, String schemaOrNull) {
        if (jdbcUrl == null || jdbcUrl.isBlank()) throw new IllegalArgumentException("jdbcUrl must not be blank");
        String shownUrl = JdbcUrls.redact(jdbcUrl);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setPoolName(POOL_NAME);
        cfg.setMaximumPoolSize(MAX_POOL_SIZE);
        cfg.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (schemaOrNull != null) cfg.setSchema(schemaOrNull);
        if (JdbcUrls.isH2(jdbcUrl)) cfg.setConnectionInitSql("SET LOCK_TIMEOUT " + H2_LOCK_TIMEOUT_MS);

        HikariDataSource pool;
        try {
            pool = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new UnavailableException("store: cannot connect to " + shownUrl + ": " + JdbcUrls.safeCause(e), e);
        }
        try {
            var flyway = Flyway.configure(JdbcStore.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true);
            if (schemaOrNull != null) flyway.schemas(schemaOrNull).defaultSchema(schemaOrNull);
            flyway.load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new UnavailableException("store: cannot migrate " + shownUrl + ": " + JdbcUrls.safeCause(e), e);
        }
        return new JdbcStore(pool, JdbcUrls.describe(jdbcUrl, schemaOrNull));
    }

    /**
     * The embedded database URL for a data directory: file {@code <dataDir>/db/sallyport}, PostgreSQL
     * compatibility so that the one set of migrations and queries serves both databases.
     */
    public static String h2FileUrl(Path dataDir) {
        Path file = dataDir.toAbsolutePath().resolve("db").resolve("sallyport");
        // WRITE_DELAY=0: H2 otherwise keeps committed changes in memory for up to 500 ms, so a kill -9 lost
        // audit events and session rows that had been reported committed (CrashRecoveryTest caught it).
        return "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    @Override
    public <T> T inTransaction(TxWork<T> work) {
        if (transactionOnThisThread.get() != null) {
            throw new IllegalStateException("nested inTransaction is not supported: pass the StoreTx down instead");
        }
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException | RuntimeException e) {
            throw new UnavailableException("store: no database connection (" + description + ")", e);
        }
        transactionOnThisThread.set(Boolean.TRUE);
        JdbcStoreTx tx = null;
        try {
            c.setAutoCommit(false);
            tx = new JdbcStoreTx(c);
            T result = work.run(tx);
            c.commit();
            return result;
        } catch (SQLException e) {
            rollback(c, e);
            throw new UnavailableException("store: transaction failed (SQLState " + e.getSQLState() + ")", e);
        } catch (RuntimeException | Error e) {
            rollback(c, e);
            throw e;
        } finally {
            if (tx != null) tx.end();
            transactionOnThisThread.remove();
            try {
                c.close();
            } catch (SQLException ignored) {
                // the pool evicts a connection it cannot return; nothing left to undo here
            }
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public boolean ping() {
        if (pool.isClosed()) return false;
        try (Connection c = pool.getConnection()) {
            return c.isValid(PING_TIMEOUT_S);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
    }
}

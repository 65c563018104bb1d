package org.sallyport.broker.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the test PostgreSQL is, and whether it is there. A stand-in for test-fixtures' {@code PostgresFixture}
 * and {@code RequiredService}, which did not exist yet when this was written: missing PostgreSQL skips loudly,
 * or fails when {@code SALLYPORT_REQUIRE_SERVICES=1} (CI).
 *
 * <p>Defaults match the CI machine (127.0.0.1:5432, database {@code test}, user {@code postgres}, trust auth);
 * {@code SALLYPORT_PG_URL}, {@code SALLYPORT_PG_USER} and {@code SALLYPORT_PG_PASSWORD} override them.
 */
final class PostgresTestDatabase {
    static final String URL = StoreContract.env("SALLYPORT_PG_URL").orElse("jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = StoreContract.env("SALLYPORT_PG_USER").orElse("postgres");
    static final String PASSWORD = StoreContract.env("SALLYPORT_PG_PASSWORD").orElse("");

    private PostgresTestDatabase() {}

    /** Skips the calling test (or fails it on CI) unless PostgreSQL answers. */
    static void require() {
        String problem = Probe.PROBLEM;
        if (problem == null) return;
        String message = "PostgreSQL not available at " + URL + " as " + USER + " (" + problem + "); start it "
                + "(pg_ctlcluster <version> main start) or set SALLYPORT_PG_URL/SALLYPORT_PG_USER";
        if ("1".equals(System.getenv("SALLYPORT_REQUIRE_SERVICES"))) Assertions.fail(message);
        System.err.println("SKIPPED: " + message);
        Assumptions.abort(message);
    }

    /** The URL with {@code currentSchema} set, so that every connection of the store works in that schema. */
    static String urlFor(String schema) {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Why PostgreSQL cannot be used, or null when it answers; asked once per test run (lazy holder). */
    private static final class Probe {
        static final String PROBLEM = probe();

        private static String probe() {
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
                return c.isValid(2) ? null : "connection not valid";
            } catch (SQLException e) {
                return e.getMessage();
            }
        }
    }
}

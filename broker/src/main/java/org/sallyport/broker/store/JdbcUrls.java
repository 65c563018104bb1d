package org.sallyport.broker.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC URLs as they may be shown to people: passwords removed, reduced to what identifies the database. */
final class JdbcUrls {
    /** {@code password=...} as a PostgreSQL query parameter or an H2 {@code ;PASSWORD=} setting. */
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password|passwd|pwd)=[^&;]*");
    private static final Pattern POSTGRES = Pattern.compile("(?i)jdbc:postgresql://([^/?]*)/?([^?]*)");

    private JdbcUrls() {}

    static boolean isH2(String url) {
        return url.regionMatches(true, 0, "jdbc:h2:", 0, 8);
    }

    static String redact(String text) {
        return text == null ? null : PASSWORD.matcher(text).replaceAll("$1=***");
    }

    /** "H2 file /data/db/sallyport", "PostgreSQL db.example:5432/sallyport schema s"; never user or password. */
    static String describe(String url, String schemaOrNull) {
        String schema = schemaOrNull == null ? "" : " schema " + schemaOrNull;
        if (isH2(url)) {
            String rest = url.substring("jdbc:h2:".length());
            int semi = rest.indexOf(';');
            if (semi >= 0) rest = rest.substring(0, semi);
            if (rest.startsWith("file:")) rest = "file " + rest.substring("file:".length());
            return "H2 " + rest + schema;
        }
        Matcher m = POSTGRES.matcher(url);
        if (m.lookingAt()) {
            String hosts = m.group(1).isEmpty() ? "localhost" : m.group(1);
            if (!hosts.contains(",") && !hosts.matches(".*:\\d+$")) hosts = hosts + ":5432";
            return "PostgreSQL " + hosts + "/" + m.group(2) + schema;
        }
        int q = url.indexOf('?');
        return redact(q >= 0 ? url.substring(0, q) : url) + schema;
    }

    /** Root cause's message, redacted: enough to act on ("Connection refused"), nothing secret. */
    static String safeCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return redact(msg);
    }
}

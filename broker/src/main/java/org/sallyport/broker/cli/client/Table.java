package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row, columns padded to their widest cell, two spaces apart. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    Table row(String... cells) {
        if (cells.length != columns) throw new IllegalArgumentException("expected " + columns + " cells");
        String[] clean = new String[columns];
        for (int i = 0; i < columns; i++) clean[i] = cells[i] == null || cells[i].isEmpty() ? "-" : oneLine(cells[i]);
        rows.add(clean);
        return this;
    }

    void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] r : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    /** A string field of a server object, or {@code null}. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The items of a string array field, comma separated. */
    static String list(JsonNode n, String field) {
        List<String> items = new ArrayList<>();
        n.path(field).forEach(v -> items.add(v.asText()));
        return String.join(",", items);
    }

    /** ISO-8601 duration as the short form people type: PT1H30M -> 1h30m. Unparseable input is shown as is. */
    static String shortDuration(String iso) {
        if (iso == null) return null;
        Duration d;
        try {
            d = Duration.parse(iso);
        } catch (DateTimeParseException e) {
            return iso;
        }
        if (d.isZero()) return "0m";
        StringBuilder sb = new StringBuilder();
        if (d.toDays() > 0) sb.append(d.toDays()).append('d');
        if (d.toHoursPart() > 0) sb.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) sb.append(d.toSecondsPart()).append('s');
        return sb.isEmpty() ? iso : sb.toString();
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ");
    }
}

package org.sallyport.broker.workflow;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sallyport.broker.error.InvalidInputException;

/** Parses window durations: ISO-8601 ({@code PT45M}) or the short form people type ({@code 45m}, {@code 2h}, {@code 1h30m}). */
public final class DurationParser {
    private static final Pattern SHORT = Pattern.compile("(?:(\\d{1,3})h)?(?:(\\d{1,4})m)?(?:(\\d{1,6})s)?");

    private DurationParser() {}

    public static Duration parse(String field, String text) {
        if (text == null || text.isBlank()) throw new InvalidInputException(field, "required, e.g. 45m, 2h or PT45M");
        String t = text.trim();
        Duration d;
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new InvalidInputException(field, "'" + t + "' is not an ISO-8601 duration");
            }
        } else {
            Matcher m = SHORT.matcher(t.toLowerCase());
            if (!m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null)) {
                throw new InvalidInputException(field, "'" + t + "' is not a duration; use e.g. 45m, 2h, 1h30m or PT45M");
            }
            d = Duration.ofHours(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                    .plusMinutes(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
                    .plusSeconds(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
        }
        if (d.compareTo(Duration.ofMinutes(1)) < 0) throw new InvalidInputException(field, "must be at least 1 minute");
        return d;
    }
}

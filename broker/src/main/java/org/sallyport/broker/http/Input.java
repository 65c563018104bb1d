package org.sallyport.broker.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.sallyport.broker.error.InvalidInputException;

/**
 * Strict reading of JSON request bodies: content type, well-formedness, no unknown fields, types,
 * lengths. Every failure names the field.
 */
final class Input {
    static final int MAX_BODY = 64 * 1024;
    private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/#-]{0,99}");
    private static final Pattern TARGET_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final JsonNode node;

    private Input(JsonNode node) {
        this.node = node;
    }

    /** Parses the body as a JSON object, accepting only {@code allowed} field names. */
    static Input of(RoutingContext ctx, Set<String> allowed) {
        String ct = ctx.request().getHeader("Content-Type");
        if (ct == null || !ct.toLowerCase().startsWith("application/json")) {
            throw new InvalidInputException("Content-Type", "must be application/json", 415);
        }
        var buf = ctx.body().buffer();
        if (buf == null || buf.length() == 0) throw new InvalidInputException("body", "a JSON object is required");
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(buf.getBytes());
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new InvalidInputException("body", "malformed JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr()));
        } catch (java.io.IOException e) {
            throw new InvalidInputException("body", "unreadable");
        }
        if (n == null || !n.isObject()) throw new InvalidInputException("body", "must be a JSON object");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) throw new InvalidInputException(f, "unknown field (allowed: " + String.join(", ", allowed) + ")");
        }
        return new Input(n);
    }

    String text(String field, int min, int max, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new InvalidInputException(field, "required");
            return null;
        }
        if (!v.isTextual()) throw new InvalidInputException(field, "must be a string");
        String s = v.asText().strip();
        if (s.length() < min) throw new InvalidInputException(field, min == 1 ? "must not be empty" : "at least " + min + " characters");
        if (s.length() > max) throw new InvalidInputException(field, "at most " + max + " characters", 400);
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) throw new InvalidInputException(field, "contains control characters");
        return s;
    }

    String ticket() {
        String t = text("ticket", 1, 100, true);
        if (!TICKET.matcher(t).matches()) {
            throw new InvalidInputException("ticket", "letters, digits and . _ : / # - only, e.g. INC-4711");
        }
        return t;
    }

    Instant instant(String field) {
        String s = text(field, 1, 64, false);
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidInputException(field, "'" + s + "' is not an ISO-8601 date-time, e.g. 2026-11-28T14:00:00Z");
            }
        }
    }

    List<String> targets() {
        JsonNode v = node.get("targets");
        if (v == null || v.isNull()) throw new InvalidInputException("targets", "required: a list of target ids");
        if (!v.isArray()) throw new InvalidInputException("targets", "must be a list of target ids");
        if (v.isEmpty()) throw new InvalidInputException("targets", "at least one target");
        if (v.size() > 10) throw new InvalidInputException("targets", "at most 10 targets per request");
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode t : v) {
            if (!t.isTextual() || !TARGET_ID.matcher(t.asText()).matches()) {
                throw new InvalidInputException("targets", "'" + abbreviate(t.toString()) + "' is not a target id");
            }
            if (!out.add(t.asText())) throw new InvalidInputException("targets", "'" + t.asText() + "' is listed twice");
        }
        return new ArrayList<>(out);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}

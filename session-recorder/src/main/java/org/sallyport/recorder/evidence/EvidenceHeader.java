package org.sallyport.recorder.evidence;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an export covers, written to {@code evidence.json}.
 *
 * @param from    start of the period, inclusive
 * @param to      end of the period, exclusive
 * @param filter  the selection ({@code vendor}, {@code target}, {@code site}); empty for everything
 * @param source  free text naming where it came from (broker URL or data folder), not verified
 */
public record EvidenceHeader(Instant createdAt, Instant from, Instant to, Map<String, String> filter, String source) {
    public EvidenceHeader {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) throw new IllegalArgumentException("from must be before to");
        filter = filter == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(filter));
        source = source == null ? "" : source;
    }
}

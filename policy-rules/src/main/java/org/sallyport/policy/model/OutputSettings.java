package org.sallyport.policy.model;

import java.util.Set;

/**
 * What watches a session's output: which export detectors are on, what a detection does, and the output
 * volume cap (bytes, 0 = the detectors' default).
 *
 * @param detectors names from {@link #DETECTORS}
 */
public record OutputSettings(String ruleId, Set<String> detectors, StreamAction action, long maxOutputBytes, String reason) {
    /** Every detector name a policy may list. */
    public static final Set<String> DETECTORS = Set.of("signatures", "annexb", "mjpeg", "base64", "hexdump", "uuencode", "volume");

    public OutputSettings {
        detectors = Set.copyOf(detectors);
    }
}

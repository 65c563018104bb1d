package org.sallyport.policy.model;

import java.util.Set;

/**
 * What watches a session's output: which export detectors are on, what a detection does, and the output
 * volume caps.
 *
 * @param detectors         names from {@link #DETECTORS}
 * @param maxOutputBytes    total output cap per session, 0 = the detectors' default (50 MiB)
 * @param maxBytesPerSecond sustained output rate cap averaged over {@code rateWindow}, 0 = none
 */
public record OutputSettings(String ruleId, Set<String> detectors, StreamAction action, long maxOutputBytes,
                             long maxBytesPerSecond, java.time.Duration rateWindow, String reason) {
    /** Default averaging window of the rate cap: long enough to ignore a burst (a screen of `dmesg`). */
    public static final java.time.Duration DEFAULT_RATE_WINDOW = java.time.Duration.ofSeconds(10);

    /** Every detector name a policy may list. */
    public static final Set<String> DETECTORS = Set.of("binary", "annexb", "mjpeg", "base64", "hexdump", "uuencode", "volume");

    public OutputSettings {
        detectors = Set.copyOf(detectors);
        rateWindow = rateWindow == null ? DEFAULT_RATE_WINDOW : rateWindow;
    }
}

package org.sallyport.broker.httpproxy;

import java.time.Duration;

/**
 * Tunables of the HTTP proxy; defaults in {@link #withDefaults()}.
 *
 * @param maxRequestBodyBytes largest request body read (and recorded) before forwarding
 * @param maxResponseBodyBytes largest response body held back for inspection; a larger one is blocked
 * @param maxResponseBytesPerSession volume cap: bytes a session may pass to the browser in total
 * @param blockedEvidenceBytes how much of a blocked response body is still read and recorded before the
 *                             upstream connection is cut (an endless MJPEG stream has no end to wait for)
 * @param idleTimeout a session with no request for this long ends as completed
 */
public record HttpProxySettings(long maxRequestBodyBytes, long maxResponseBodyBytes, long maxResponseBytesPerSession,
                                int blockedEvidenceBytes, Duration idleTimeout) {

    public static HttpProxySettings withDefaults() {
        return new HttpProxySettings(
                // Camera firmware images are 30-120 MB.
                256L * 1024 * 1024,
                // Admin pages, scripts and settings are kilobytes; 16 MiB holds a large bundled UI with room to spare.
                16L * 1024 * 1024,
                // As the SSH detectors' volume cap: a maintenance session stays far below it, a bulk export does not.
                50L * 1024 * 1024,
                // Enough to show an inspector what was attempted (a few frames of a stream) without storing a film.
                256 * 1024,
                // The CLI's listener keeps a session; a forgotten one should not stay open for the whole window.
                Duration.ofMinutes(30));
    }

    /**
     * Applies the system property {@code sallyport.http.sessionCapBytes} (the volume cap), for benchmarks and sites
     * whose maintenance moves more through the web UI; anything else stays at its default.
     */
    public HttpProxySettings withSystemOverrides() {
        String cap = System.getProperty("sallyport.http.sessionCapBytes");
        if (cap == null) return this;
        try {
            long v = Long.parseLong(cap.trim());
            if (v <= 0) throw new NumberFormatException();
            return withMaxResponseBytesPerSession(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sallyport.http.sessionCapBytes: must be a positive number of bytes, got '" + cap + "'");
        }
    }

    public HttpProxySettings withMaxResponseBytesPerSession(long max) {
        return new HttpProxySettings(maxRequestBodyBytes, maxResponseBodyBytes, max, blockedEvidenceBytes, idleTimeout);
    }
}

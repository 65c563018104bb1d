package org.sallyport.broker.gateway;

/**
 * What the gateway needs of a recording: append before forwarding (throwing when the recording cannot
 * be written, so the caller does not forward), and a final chain hash at close.
 */
public interface SessionRecording {
    String id();

    void input(byte[] data, int off, int len);

    void output(byte[] data, int off, int len);

    /** Metadata such as a resize or a guard verdict, as small JSON. */
    void event(String json);

    /**
     * Called (once, from a background thread) when the recording fails outside an append, e.g. a timed flush
     * hits a full disk, so that even an idle session ends (fail closed).
     */
    default void onFailure(java.util.function.Consumer<RecordingFailure> listener) {}

    /** Seals and signs; returns the final chain hash. */
    String close();
}

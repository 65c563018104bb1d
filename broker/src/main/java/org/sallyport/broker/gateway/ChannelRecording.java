package org.sallyport.broker.gateway;

import java.util.function.Consumer;
import org.sallyport.recorder.recording.Direction;

/**
 * A recording whose frames name their channel, for sessions that carry many exchanges (the HTTP proxy records
 * exchange {@code n} on channel {@code n}; FORMAT.md, "HTTP sessions"). Same file format and guarantees as
 * {@link SessionRecording}: an append that throws must not be forwarded, and the session must end.
 */
public interface ChannelRecording {
    String id();

    void append(int channel, Direction direction, byte[] data, int off, int len);

    /** Called once, from a background thread, when a timed flush fails (fail closed even when idle). */
    void onBackgroundFailure(Consumer<? super RuntimeException> listener);

    /** Seals and signs; returns the final chain hash. */
    String close();
}

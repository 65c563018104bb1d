package org.sallyport.recorder.recording;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One recorded frame: when (monotonic nanoseconds since the recording started), which channel, which way, and
 * the bytes. Immutable: {@link #data()} is a read-only view, {@link #bytes()} a copy.
 */
public final class Frame {
    private final long nanos;
    private final int channel;
    private final Direction direction;
    private final byte[] data;

    /** Takes ownership of {@code data} (callers in this package never touch it again). */
    Frame(long nanos, int channel, Direction direction, byte[] data) {
        this.nanos = nanos;
        this.channel = channel;
        this.direction = Objects.requireNonNull(direction, "direction");
        this.data = data;
    }

    /** A frame with a copy of {@code data}; for tests and tools. */
    public static Frame of(long nanos, int channel, Direction direction, byte[] data) {
        return new Frame(nanos, channel, direction, data.clone());
    }

    /** Monotonic nanoseconds since the recording started (non-decreasing within a recording). */
    public long nanos() {
        return nanos;
    }

    public int channel() {
        return channel;
    }

    public Direction direction() {
        return direction;
    }

    /** Read-only view of the frame's bytes. */
    public ByteBuffer data() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** A copy of the frame's bytes. */
    public byte[] bytes() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.nanos == nanos && f.channel == channel && f.direction == direction
                && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nanos, channel, direction, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Frame[" + nanos + "ns, channel " + channel + ", " + direction + ", " + data.length + " bytes]";
    }
}

package org.sallyport.recorder.recording;

import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;

/**
 * Random-access, read-only bytes of a recording (a file, possibly still being written; an in-memory copy; an
 * object-store range reader). Readers and verifiers read one record at a time, so memory stays bounded.
 */
public interface RecordingSource extends Closeable {
    /**
     * Reads up to {@code length} bytes at {@code position} into {@code dst}.
     *
     * @return the number of bytes read, 0 only when {@code length} is 0, or -1 if {@code position} is at or past the end
     */
    int read(long position, byte[] dst, int offset, int length) throws IOException;

    @Override
    default void close() throws IOException {}

    /** A source over {@code bytes} (not copied: do not modify them while reading). */
    static RecordingSource of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return (position, dst, offset, length) -> {
            Objects.checkFromIndexSize(offset, length, dst.length);
            if (position < 0) throw new IllegalArgumentException("negative position " + position);
            if (position >= bytes.length) return -1;
            int n = (int) Math.min(length, bytes.length - position);
            System.arraycopy(bytes, (int) position, dst, offset, n);
            return n;
        };
    }
}

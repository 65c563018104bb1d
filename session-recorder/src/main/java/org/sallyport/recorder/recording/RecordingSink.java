package org.sallyport.recorder.recording;

import java.io.IOException;

/**
 * Where a {@link RecordingWriter} puts its bytes: append-only storage (a file, an object-store upload, a test
 * buffer). Wrap one to add behaviour (checksums, fault injection, metrics) rather than changing the writer.
 *
 * <p>The writer calls {@link #write} once per record with a complete record, never concurrently with another
 * {@code write}, and stops using the sink after the first exception: a sink need not be usable after it threw.
 * {@link #sync()} may run concurrently with a {@code write} ({@link RecordingWriter#sync()} calls it outside the
 * writer's lock), and may then also cover bytes of that write.
 */
public interface RecordingSink {
    /** Appends {@code bytes} (all of them, or throws). The writer does not reuse the array afterwards. */
    void write(byte[] bytes) throws IOException;

    /** Makes everything written so far durable (fsync or equivalent). */
    void sync() throws IOException;

    /** Releases the storage; the writer calls {@link #sync()} first when closing normally. */
    void close() throws IOException;
}

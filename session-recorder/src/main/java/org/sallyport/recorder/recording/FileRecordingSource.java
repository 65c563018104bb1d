package org.sallyport.recorder.recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** A {@link RecordingSource} over a file, read with positional reads (safe while a writer appends to it). */
public final class FileRecordingSource implements RecordingSource {
    private final Path file;
    private final FileChannel channel;

    private FileRecordingSource(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    public static FileRecordingSource open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return new FileRecordingSource(file, FileChannel.open(file, StandardOpenOption.READ));
    }

    @Override
    public int read(long position, byte[] dst, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dst.length);
        if (length == 0) return 0;
        return channel.read(ByteBuffer.wrap(dst, offset, length), position);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "FileRecordingSource[" + file + "]";
    }
}

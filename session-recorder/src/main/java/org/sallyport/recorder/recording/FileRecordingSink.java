package org.sallyport.recorder.recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * A {@link RecordingSink} writing a new file through a {@link FileChannel}.
 *
 * <h2>Security guarantees</h2>
 * The file is created exclusively ({@code CREATE_NEW}: an existing recording is never overwritten or appended to)
 * with POSIX mode 0600 where the file system supports POSIX permissions. {@link #sync()} forces the file's data
 * (fdatasync); the directory entry is forced once, right after creation, so a synced recording is found after a
 * crash.
 *
 * <h2>Restrictions</h2>
 * On file systems without POSIX permissions the directory's ACL applies. {@link #write} calls must
 * not overlap (the {@link RecordingWriter} serialises them); {@link #sync()} may overlap a write (FileChannel
 * allows it).
 */
public final class FileRecordingSink implements RecordingSink {
    private final Path file;
    private final FileChannel channel;

    private FileRecordingSink(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Creates {@code file}, which must not exist (parent directories are created).
     *
     * @throws java.nio.file.FileAlreadyExistsException if it exists
     */
    public static FileRecordingSink create(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        FileChannel ch = FileChannel.open(target, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs);
        syncDirectory(target.getParent());
        return new FileRecordingSink(target, ch);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) channel.write(buf);
    }

    @Override
    public void sync() throws IOException {
        channel.force(false);
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
        return "FileRecordingSink[" + file + "]";
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Not possible on every platform (Windows); the header sync still makes the file's data durable.
        }
    }
}

package org.sallyport.broker.gateway;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test recorder: keeps every byte in memory in order, and can be told to fail (the fault a real disk
 * cannot be made to produce on demand).
 */
public final class MemoryRecordings implements Recordings {
    public final List<Rec> opened = new CopyOnWriteArrayList<>();
    public final AtomicBoolean failOpen = new AtomicBoolean();
    public final AtomicBoolean failAppend = new AtomicBoolean();

    public final class Rec implements SessionRecording {
        final String id = UUID.randomUUID().toString();
        public final ByteArrayOutputStream input = new ByteArrayOutputStream();
        public final ByteArrayOutputStream output = new ByteArrayOutputStream();
        public final List<String> events = new CopyOnWriteArrayList<>();
        private final MessageDigest chain;
        public volatile boolean closed;

        Rec() {
            try {
                chain = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String id() {
            return id;
        }

        private void check() {
            if (failAppend.get()) throw new RecordingFailure("disk full (injected)", null);
        }

        @Override
        public synchronized void input(byte[] data, int off, int len) {
            check();
            input.write(data, off, len);
            chain.update(data, off, len);
        }

        @Override
        public synchronized void output(byte[] data, int off, int len) {
            check();
            output.write(data, off, len);
            chain.update(data, off, len);
        }

        @Override
        public void event(String json) {
            check();
            events.add(json);
        }

        @Override
        public synchronized String close() {
            closed = true;
            return HexFormat.of().formatHex(chain.digest());
        }
    }

    @Override
    public SessionRecording open(GatewaySessions.Admission admission, String kind, String command, UpstreamConnector.Pty pty) {
        if (failOpen.get()) throw new RecordingFailure("recordings folder not writable (injected)", null);
        Rec r = new Rec();
        opened.add(r);
        return r;
    }
}

package org.sallyport.broker.httpproxy;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.domain.Target;
import org.sallyport.broker.gateway.ChannelRecording;

/**
 * One live HTTP session: a vendor's browser (through {@code sallyport connect --http}) on one target under one
 * grant, with its recording. Every exchange gets the next channel number of the recording.
 *
 * <p>Threading: counters are atomic; {@link #end} runs once (the first caller wins) and then closes every
 * in-flight exchange and WebSocket through the {@link #onEnd} hooks they registered.
 */
public final class HttpSession {
    private final String ticket;
    private final GatewaySession session;
    private final Target target;
    private final Instant notAfter;
    private final ChannelRecording recording;
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicReference<SessionEndReason> ended = new AtomicReference<>();
    private final Set<Runnable> inFlight = ConcurrentHashMap.newKeySet();
    private volatile Instant lastActivity;

    HttpSession(String ticket, GatewaySession session, Target target, Instant notAfter, ChannelRecording recording, Instant now) {
        this.ticket = ticket;
        this.session = session;
        this.target = target;
        this.notAfter = notAfter;
        this.recording = recording;
        this.lastActivity = now;
    }

    String ticket() {
        return ticket;
    }

    public GatewaySession session() {
        return session;
    }

    public String id() {
        return session.id();
    }

    public Target target() {
        return target;
    }

    public Instant notAfter() {
        return notAfter;
    }

    ChannelRecording recording() {
        return recording;
    }

    int nextExchange() {
        return exchanges.incrementAndGet();
    }

    public int exchanges() {
        return exchanges.get();
    }

    void touch(Instant now) {
        lastActivity = now;
    }

    Instant lastActivity() {
        return lastActivity;
    }

    long addIn(long n) {
        return bytesIn.addAndGet(n);
    }

    long addOut(long n) {
        return bytesOut.addAndGet(n);
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    /** Bytes passed to the browser (what the volume cap counts). */
    public long bytesOut() {
        return bytesOut.get();
    }

    /** The end reason, or null while live. */
    public SessionEndReason endReason() {
        return ended.get();
    }

    boolean markEnded(SessionEndReason reason) {
        boolean first = ended.compareAndSet(null, reason);
        if (first) {
            for (Runnable r : inFlight) {
                try {
                    r.run();
                } catch (RuntimeException ignored) {
                    // the connection is gone already
                }
            }
            inFlight.clear();
        }
        return first;
    }

    /** Registers a hook that cuts an in-flight exchange or WebSocket when the session ends; returns its remover. */
    Runnable onEnd(Runnable cut) {
        inFlight.add(cut);
        if (ended.get() != null && inFlight.remove(cut)) cut.run();
        return () -> inFlight.remove(cut);
    }
}

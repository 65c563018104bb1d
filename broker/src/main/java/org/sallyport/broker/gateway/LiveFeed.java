package org.sallyport.broker.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Fans a session's terminal output out to live viewers over the Vert.x event bus (one address per
 * session). Viewers never slow a session down: output is published only while someone watches, and a
 * viewer whose socket is full loses frames, not the session.
 *
 * <p>Threading: {@link #output} is called from gateway pump threads; the event bus is thread-safe.
 */
public final class LiveFeed {
    private final Vertx vertx;
    private final Map<String, AtomicInteger> viewers = new ConcurrentHashMap<>();

    public LiveFeed(Vertx vertx) {
        this.vertx = vertx;
    }

    static String address(String sessionId) {
        return "sallyport.session.live." + sessionId;
    }

    void output(String sessionId, byte[] data, int off, int len) {
        AtomicInteger n = viewers.get(sessionId);
        if (n == null || n.get() <= 0) return;
        vertx.eventBus().publish(address(sessionId), Buffer.buffer(len).appendBytes(data, off, len));
    }

    void ended(String sessionId) {
        if (viewers.containsKey(sessionId)) vertx.eventBus().publish(address(sessionId) + ".end", "ended");
    }

    /** Subscribes a viewer; returns what unsubscribes it. */
    public Runnable watch(String sessionId, Consumer<Buffer> onOutput, Runnable onEnd) {
        viewers.computeIfAbsent(sessionId, k -> new AtomicInteger()).incrementAndGet();
        MessageConsumer<Buffer> out = vertx.eventBus().consumer(address(sessionId), m -> onOutput.accept(m.body()));
        MessageConsumer<String> end = vertx.eventBus().consumer(address(sessionId) + ".end", m -> onEnd.run());
        return () -> {
            out.unregister();
            end.unregister();
            viewers.computeIfPresent(sessionId, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
        };
    }
}

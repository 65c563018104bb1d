package org.sallyport.broker.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sallyport.broker.domain.SessionEndReason;

/**
 * The sessions live on this broker, and their time box: a notice 5 minutes and 1 minute before the
 * grant's notAfter, then the end. Checked every 250 ms against the injected clock, so a terminate or a
 * revocation takes effect well within a second.
 *
 * <p>Restrictions: the registry is per process; with several replicas, terminate reaches the replica that
 * holds the session through the database (future work), not through this map.
 */
final class LiveSessions implements AutoCloseable {
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Map<BrokeredChannel, Deadline> live = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-timebox");
        t.setDaemon(true);
        return t;
    });

    private static final class Deadline {
        final Instant notAfter;
        boolean warned5;
        boolean warned1;

        Deadline(Instant notAfter) {
            this.notAfter = notAfter;
        }
    }

    LiveSessions(Clock clock) {
        this.clock = clock;
        ticker.scheduleWithFixedDelay(this::tick, 250, 250, TimeUnit.MILLISECONDS);
    }

    void add(BrokeredChannel c, Instant notAfter) {
        live.put(c, new Deadline(notAfter));
    }

    void remove(BrokeredChannel c) {
        live.remove(c);
        synchronized (this) {
            notifyAll();
        }
    }

    /** Waits until every session has finished (recorded its end) or the timeout passes. */
    synchronized void awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!live.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    Optional<BrokeredChannel> find(String sessionId) {
        return live.keySet().stream().filter(c -> c.session() != null && c.session().id().equals(sessionId)).findFirst();
    }

    /** Ends every live session of a request whose grants were revoked or cancelled. */
    void endRequest(String requestId, SessionEndReason reason) {
        live.keySet().stream().filter(c -> c.session() != null && c.session().requestId().equals(requestId))
                .forEach(c -> c.terminate(reason, "your access was " + reason.wireName() + " by a supervisor; the session ends", reason.wireName()));
    }

    int size() {
        return live.size();
    }

    private void tick() {
        Instant now = clock.instant();
        live.forEach((c, d) -> {
            Duration left = Duration.between(now, d.notAfter);
            if (left.isNegative() || left.isZero()) {
                c.terminate(SessionEndReason.EXPIRED, "the approved window ended at " + HHMM.format(d.notAfter) + "; the session ends now",
                        "window ended");
            } else if (!d.warned1 && left.compareTo(Duration.ofMinutes(1)) <= 0) {
                d.warned1 = d.warned5 = true;
                c.notice("this session ends in 1 minute (at " + HHMM.format(d.notAfter) + ")");
            } else if (!d.warned5 && left.compareTo(Duration.ofMinutes(5)) <= 0) {
                d.warned5 = true;
                c.notice("this session ends in 5 minutes (at " + HHMM.format(d.notAfter) + ")");
            }
        });
    }

    /** Ends every live session (broker shutdown). */
    @Override
    public void close() {
        ticker.shutdownNow();
        live.keySet().forEach(c -> c.terminate(SessionEndReason.BROKER_RESTART, "the broker is shutting down; the session ends",
                "broker shutdown"));
    }
}

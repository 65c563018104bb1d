package org.sallyport.broker.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.error.InvalidInputException;
import org.sallyport.broker.store.AuditFilter;
import org.sallyport.broker.store.Store;
import org.sallyport.recorder.audit.AuditChain;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.Checkpoint;
import org.sallyport.recorder.crypto.RecipientKey;
import org.sallyport.recorder.crypto.SigningKey;
import org.sallyport.recorder.evidence.EvidenceHeader;
import org.sallyport.recorder.evidence.EvidenceWriter;
import org.sallyport.recorder.evidence.RecordingMode;
import org.sallyport.recorder.evidence.SessionEntry;

/**
 * Exports an evidence bundle (session-recorder's EVIDENCE.md) from a store and the recordings folder: the period's
 * events, widened to whole checkpoint intervals for the chain segment, the selected events, the sessions and their
 * recordings. Used by {@code GET /api/audit/export} and by {@code sallyport audit export --data DIR}.
 *
 * <p>Memory: events are read page by page (three passes: bounds and sessions, segment, selection); what is held is
 * the checkpoints, the sessions of the period and, with a filter, one verdict per object id of the period.
 *
 * <p>Threading: blocking; call from a virtual thread or worker.
 */
public final class EvidenceExporter {
    private static final int PAGE = 2000;

    /**
     * @param from    inclusive
     * @param to      exclusive
     * @param vendor  org filter, or null
     * @param target  target id filter, or null
     * @param site    site filter, or null
     */
    public record Request(Instant from, Instant to, String vendor, String target, String site, RecordingMode recordings,
                          RecipientKey recipient) {
        public Request {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!from.isBefore(to)) throw new InvalidInputException("to", "must be after from");
            Objects.requireNonNull(recordings, "recordings");
            if (recordings == RecordingMode.RECIPIENT && recipient == null) {
                throw new InvalidInputException("recipient", "recordings for a recipient need the recipient's public key");
            }
        }

        boolean filtered() {
            return vendor != null || target != null || site != null;
        }

        Map<String, String> filter() {
            Map<String, String> m = new TreeMap<>();
            if (vendor != null) m.put("vendor", vendor);
            if (target != null) m.put("target", target);
            if (site != null) m.put("site", site);
            return m;
        }
    }

    private final Store store;
    private final SigningKey key;
    private final Path recordingsDir;
    private final Map<String, byte[]> keks;
    private final Clock clock;

    /** @param keks the broker's key-encryption keys by id (needed only to re-wrap recordings for a recipient) */
    public EvidenceExporter(Store store, SigningKey key, Path recordingsDir, Map<String, byte[]> keks, Clock clock) {
        this.store = store;
        this.key = key;
        this.recordingsDir = recordingsDir;
        this.keks = keks;
        this.clock = clock;
    }

    /** What {@link #export} wrote. */
    public record Result(long firstSeq, long lastSeq, long selectedEvents, int sessions) {}

    /**
     * Writes the bundle to {@code out} (closed at the end).
     *
     * @throws InvalidInputException if the period has no events or its newest events are not covered by a signed
     *         checkpoint (the online exporter signs one first)
     */
    public Result export(Request r, OutputStream out, String source, EvidenceWriter.Progress progress) throws IOException {
        return export(plan(r), out, source, progress);
    }

    /** What a bundle will hold, decided before a byte is written (so bad input is refused with a clear answer). */
    public record Plan(Request request, long segStart, long segEnd, String prevHash, List<Checkpoint> checkpoints,
                       List<GatewaySession> sessions, List<SessionEntry> entries) {}

    /**
     * Pass 1: the period's bounds, the checkpoints that pin it and its sessions.
     *
     * @throws InvalidInputException as {@link #export(Request, OutputStream, String, EvidenceWriter.Progress)}
     */
    public Plan plan(Request r) {
        // pass 1: the period's bounds and its sessions
        long first = 0;
        long last = 0;
        Map<String, long[]> sessionSeqs = new LinkedHashMap<>();
        for (Iterator<AuditEvent> it = period(r); it.hasNext(); ) {
            AuditEvent e = it.next();
            if (first == 0) first = e.seq();
            last = e.seq();
            if ("session".equals(e.objectType()) && e.objectId() != null) {
                if (e.action().equals("session.started")) sessionSeqs.computeIfAbsent(e.objectId(), k -> new long[2])[0] = e.seq();
                if (e.action().equals("session.ended")) sessionSeqs.computeIfAbsent(e.objectId(), k -> new long[2])[1] = e.seq();
            }
        }
        if (first == 0) throw new InvalidInputException("from", "no audit events between " + r.from() + " and " + r.to());
        List<Checkpoint> all = store.inTransaction(tx -> tx.checkpoints());
        Checkpoint before = null;
        Checkpoint after = null;
        for (Checkpoint c : all) {
            if (c.seq() < first) before = c;
            if (c.seq() >= last && after == null) after = c;
        }
        if (after == null) {
            throw new InvalidInputException("to", "events up to " + last + " are not yet covered by a signed checkpoint;"
                    + " export through the broker (it signs one first) or stop the broker (it signs one at shutdown)");
        }
        long segStart = before == null ? 1 : before.seq() + 1;
        long segEnd = after.seq();
        String prevHash = before == null ? AuditChain.GENESIS : before.headHash();
        List<Checkpoint> covering = all.stream().filter(c -> c.seq() >= segStart - 1 && c.seq() <= segEnd).toList();

        List<GatewaySession> sessions = new ArrayList<>();
        for (String id : sessionSeqs.keySet()) {
            store.inTransaction(tx -> tx.findSession(id)).filter(s -> matches(r, s.org(), s.targetId(), s.site())).ifPresent(sessions::add);
        }
        List<SessionEntry> entries = new ArrayList<>();
        for (GatewaySession s : sessions) {
            long[] seqs = sessionSeqs.get(s.id());
            entries.add(new SessionEntry(s.id(), s.username(), s.org(), s.targetId(), s.site(), s.kind(), s.requestId(),
                    s.grantId(), s.startedAt(), s.endedAt(), s.endReason() == null ? null : s.endReason().wireName(), s.bytesIn(),
                    s.bytesOut(), s.recordingId(), s.recordingHead(), seqs[0], seqs[1]));
        }

        return new Plan(r, segStart, segEnd, prevHash, covering, sessions, entries);
    }

    /** Passes 2 and 3: writes the planned bundle to {@code out} (closed at the end). */
    public Result export(Plan plan, OutputStream out, String source, EvidenceWriter.Progress progress) throws IOException {
        Request r = plan.request();
        List<SessionEntry> entries = plan.entries();
        long selected;
        try (EvidenceWriter w = EvidenceWriter.start(out, key, new EvidenceHeader(clock.instant(), r.from(), r.to(),
                r.filter(), source), progress)) {
            w.writeChain(plan.prevHash(), range(plan.segStart(), plan.segEnd()), plan.checkpoints());
            Predicate<AuditEvent> select = r.filtered() ? new Selection(r, plan.sessions()) : e -> true;
            CountingIterator sel = new CountingIterator(filter(period(r), select));
            w.writeEvents(sel);
            selected = sel.count;
            w.writeSessions(entries);
            w.recordingMode(r.recordings(), r.recipient());
            for (SessionEntry s : entries) {
                if (s.recordingId() == null) continue;
                w.addRecording(s.recordingId(), recordingsDir.resolve(s.recordingId() + ".sprec"), keks);
            }
            w.finish();
        }
        return new Result(plan.segStart(), plan.segEnd(), selected, entries.size());
    }

    private static boolean matches(Request r, String org, String target, String site) {
        return (r.vendor() == null || r.vendor().equals(org)) && (r.target() == null || r.target().equals(target))
                && (r.site() == null || r.site().equals(site));
    }

    /** Which events a filtered export selects: those about a matching session, request, grant or target. */
    private final class Selection implements Predicate<AuditEvent> {
        private final Request r;
        private final Map<String, Boolean> verdicts = new HashMap<>();

        Selection(Request r, List<GatewaySession> sessions) {
            this.r = r;
            sessions.forEach(s -> verdicts.put("session:" + s.id(), true));
        }

        @Override
        public boolean test(AuditEvent e) {
            if (e.objectId() == null) return false;
            String k = e.objectType() + ":" + e.objectId();
            Boolean v = verdicts.get(k);
            if (v != null) return v;
            v = switch (e.objectType()) {
                case "request" -> store.inTransaction(tx -> tx.findRequest(e.objectId(), false))
                        .map(q -> (r.vendor() == null || r.vendor().equals(q.requesterOrg()))
                                && (r.target() == null || q.targets().contains(r.target()))
                                && (r.site() == null || q.sites().contains(r.site())))
                        .orElse(false);
                case "grant" -> store.inTransaction(tx -> tx.findGrant(e.objectId()))
                        .map(g -> matches(r, g.org(), g.targetId(), g.site())).orElse(false);
                case "session" -> store.inTransaction(tx -> tx.findSession(e.objectId()))
                        .map(s -> matches(r, s.org(), s.targetId(), s.site())).orElse(false);
                case "target" -> r.vendor() == null && r.site() == null && e.objectId().equals(r.target());
                default -> false;
            };
            verdicts.put(k, v);
            return v;
        }
    }

    private Iterator<AuditEvent> period(Request r) {
        return new Paged(after -> store.inTransaction(tx -> tx.searchAudit(new AuditFilter(r.from(), r.to(), null, null, null, after, PAGE))));
    }

    private Iterator<AuditEvent> range(long fromSeq, long toSeq) {
        Iterator<AuditEvent> all = new Paged(after -> store.inTransaction(tx -> tx.readAudit(after + 1, PAGE)), fromSeq - 1);
        return new Iterator<>() {
            AuditEvent next;

            @Override
            public boolean hasNext() {
                if (next == null && all.hasNext()) {
                    AuditEvent e = all.next();
                    if (e.seq() <= toSeq) next = e;
                }
                return next != null;
            }

            @Override
            public AuditEvent next() {
                if (!hasNext()) throw new NoSuchElementException();
                AuditEvent e = next;
                next = null;
                return e;
            }
        };
    }

    private static Iterator<AuditEvent> filter(Iterator<AuditEvent> in, Predicate<AuditEvent> p) {
        return new Iterator<>() {
            AuditEvent next;

            @Override
            public boolean hasNext() {
                while (next == null && in.hasNext()) {
                    AuditEvent e = in.next();
                    if (p.test(e)) next = e;
                }
                return next != null;
            }

            @Override
            public AuditEvent next() {
                if (!hasNext()) throw new NoSuchElementException();
                AuditEvent e = next;
                next = null;
                return e;
            }
        };
    }

    private static final class CountingIterator implements Iterator<AuditEvent> {
        private final Iterator<AuditEvent> in;
        long count;

        CountingIterator(Iterator<AuditEvent> in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public AuditEvent next() {
            count++;
            return in.next();
        }
    }

    /** Pages of events by "after seq", one page in memory. */
    private static final class Paged implements Iterator<AuditEvent> {
        private final java.util.function.LongFunction<List<AuditEvent>> page;
        private final ArrayDeque<AuditEvent> buffer = new ArrayDeque<>();
        private long after;
        private boolean exhausted;

        Paged(java.util.function.LongFunction<List<AuditEvent>> page) {
            this(page, 0);
        }

        Paged(java.util.function.LongFunction<List<AuditEvent>> page, long after) {
            this.page = page;
            this.after = after;
        }

        @Override
        public boolean hasNext() {
            if (buffer.isEmpty() && !exhausted) {
                List<AuditEvent> b = page.apply(after);
                buffer.addAll(b);
                if (b.size() < PAGE) exhausted = true;
                if (!b.isEmpty()) after = b.getLast().seq();
            }
            return !buffer.isEmpty();
        }

        @Override
        public AuditEvent next() {
            if (!hasNext()) throw new NoSuchElementException();
            return buffer.poll();
        }
    }

}

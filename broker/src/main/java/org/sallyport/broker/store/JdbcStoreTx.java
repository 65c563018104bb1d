package org.sallyport.broker.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Approval;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.Grant;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.broker.error.ConflictException;
import org.sallyport.broker.error.NotFoundException;
import org.sallyport.broker.error.UnavailableException;
import org.sallyport.recorder.audit.AuditChain;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.audit.Checkpoint;

/**
 * {@link StoreTx} on one JDBC connection whose transaction {@link JdbcStore} owns. SQL is the subset H2
 * (PostgreSQL mode) and PostgreSQL both accept. Instants are stored at microsecond precision (truncated,
 * because PostgreSQL would otherwise round), the precision of the audit chain's hashes.
 *
 * <p>Restrictions: after a {@link ConflictException} or {@link NotFoundException} raised by a constraint,
 * PostgreSQL has aborted the transaction; let the exception end the unit of work rather than carry on.
 */
final class JdbcStoreTx implements StoreTx {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> DETAILS = new TypeReference<>() {};
    static final String UNPARSEABLE_DETAILS = "<unparseable details>";
    /** Keeps IN lists well below PostgreSQL's 32767 bind parameters per statement. */
    private static final int IN_CHUNK = 500;

    private static final String REQUEST_COLUMNS = "r.id, r.requester, r.requester_org, r.start_at, r.duration_seconds, "
            + "r.reason, r.ticket, r.state, r.approvals_required, r.decision_rule, r.created_at, r.updated_at";
    private static final String GRANT_COLUMNS =
            "id, request_id, username, org, target_id, site, not_before, not_after, revoked_at, revoked_by";
    private static final String AUDIT_COLUMNS =
            "seq, event_time, actor, action, object_type, object_id, details, prev_hash, hash";
    private static final String CHECKPOINT_COLUMNS = "seq, head_hash, cp_time, key_id, signature";

    private final Connection c;
    private boolean ended;

    JdbcStoreTx(Connection c) {
        this.c = c;
    }

    /** After this, every method throws: a StoreTx must not outlive its transaction. */
    void end() {
        ended = true;
    }

    void live() {
        if (ended) throw new IllegalStateException("StoreTx used after its transaction ended");
    }

    // ---- requests ----

    @Override
    public void insertRequest(AccessRequest r) {
        live();
        Duration d = r.duration();
        if (d.getNano() != 0) throw new IllegalArgumentException("duration must be whole seconds: " + d);
        try {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO access_request (id, requester, requester_org, "
                    + "start_at, duration_seconds, end_at, reason, ticket, state, approvals_required, decision_rule, "
                    + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.requester());
                ps.setString(3, r.requesterOrg());
                setInstant(ps, 4, r.start());
                ps.setLong(5, d.getSeconds());
                setInstant(ps, 6, r.end());
                ps.setString(7, r.reason());
                ps.setString(8, r.ticket());
                ps.setString(9, r.state().name());
                ps.setInt(10, r.approvalsRequired());
                ps.setString(11, r.decisionRule());
                setInstant(ps, 12, r.createdAt());
                setInstant(ps, 13, r.updatedAt());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO request_target (request_id, position, target_id) VALUES (?, ?, ?)")) {
                for (int i = 0; i < r.targets().size(); i++) {
                    ps.setString(1, r.id());
                    ps.setInt(2, i);
                    ps.setString(3, r.targets().get(i));
                    ps.addBatch();
                }
                if (!r.targets().isEmpty()) ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO request_site (request_id, site) VALUES (?, ?)")) {
                for (String site : r.sites()) {
                    ps.setString(1, r.id());
                    ps.setString(2, site);
                    ps.addBatch();
                }
                if (!r.sites().isEmpty()) ps.executeBatch();
            }
        } catch (SQLException e) {
            throw fail("insert request " + r.id(), e, "request " + r.id() + " already exists", null);
        }
    }

    @Override
    public Optional<AccessRequest> findRequest(String id, boolean forUpdate) {
        live();
        String sql = "SELECT " + REQUEST_COLUMNS + " FROM access_request r WHERE r.id = ?" + (forUpdate ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            List<RequestRow> rows = requestRows(ps);
            return hydrate(rows).stream().findFirst();
        } catch (SQLException e) {
            throw fail("find request " + id, e, null, null);
        }
    }

    @Override
    public void updateRequestState(String id, RequestState state, Instant updatedAt) {
        live();
        try (PreparedStatement ps = c.prepareStatement("UPDATE access_request SET state = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, state.name());
            setInstant(ps, 2, updatedAt);
            ps.setString(3, id);
            if (ps.executeUpdate() == 0) throw new NotFoundException("request " + id + " not found");
        } catch (SQLException e) {
            throw fail("update request " + id, e, null, null);
        }
    }

    @Override
    public List<AccessRequest> listRequests(RequestFilter f) {
        live();
        if (f.sites() != null && f.sites().isEmpty()) return List.of();
        var sql = new StringBuilder("SELECT " + REQUEST_COLUMNS + " FROM access_request r WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.requesterOrg() != null) {
            sql.append(" AND r.requester_org = ?");
            args.add(f.requesterOrg());
        }
        if (f.requester() != null) {
            sql.append(" AND r.requester = ?");
            args.add(f.requester());
        }
        if (f.state() != null) {
            sql.append(" AND r.state = ?");
            args.add(f.state().name());
        }
        if (f.sites() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM request_site s WHERE s.request_id = r.id AND s.site IN (")
                    .append(placeholders(f.sites().size())).append("))");
            args.addAll(f.sites());
        }
        sql.append(" ORDER BY r.created_at DESC, r.id DESC LIMIT ?");
        args.add(f.limit());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            return hydrate(requestRows(ps));
        } catch (SQLException e) {
            throw fail("list requests", e, null, null);
        }
    }

    @Override
    public List<AccessRequest> requestsEndedBy(Instant now, List<RequestState> states) {
        live();
        if (states.isEmpty()) return List.of();
        String sql = "SELECT " + REQUEST_COLUMNS + " FROM access_request r WHERE r.end_at <= ? AND r.state IN ("
                + placeholders(states.size()) + ") ORDER BY r.end_at, r.id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            setInstant(ps, 1, now);
            for (int i = 0; i < states.size(); i++) ps.setString(i + 2, states.get(i).name());
            return hydrate(requestRows(ps));
        } catch (SQLException e) {
            throw fail("list ended requests", e, null, null);
        }
    }

    @Override
    public void insertApproval(String requestId, Approval a) {
        live();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO approval (request_id, approver, verdict, comment, decided_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, requestId);
            ps.setString(2, a.approver());
            ps.setString(3, a.verdict().name());
            ps.setString(4, a.comment());
            setInstant(ps, 5, a.at());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("insert approval on " + requestId, e,
                    a.approver() + " has already decided request " + requestId + "; a person decides a request once",
                    "request " + requestId + " not found");
        }
    }

    /** One row of access_request before its targets, sites and approvals are attached. */
    private record RequestRow(String id, String requester, String requesterOrg, Instant start, Duration duration,
                              String reason, String ticket, RequestState state, int approvalsRequired,
                              String decisionRule, Instant createdAt, Instant updatedAt) {}

    private static List<RequestRow> requestRows(PreparedStatement ps) throws SQLException {
        List<RequestRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new RequestRow(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                        Duration.ofSeconds(rs.getLong(5)), rs.getString(6), rs.getString(7),
                        RequestState.valueOf(rs.getString(8)), rs.getInt(9), rs.getString(10), instant(rs, 11),
                        instant(rs, 12)));
            }
        }
        return rows;
    }

    /** Attaches targets, sites and approvals with one query each per chunk of requests, not one per request. */
    private List<AccessRequest> hydrate(List<RequestRow> rows) throws SQLException {
        if (rows.isEmpty()) return List.of();
        Map<String, List<String>> targets = new HashMap<>();
        Map<String, Set<String>> sites = new HashMap<>();
        Map<String, List<Approval>> approvals = new HashMap<>();
        List<String> ids = rows.stream().map(RequestRow::id).toList();
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            String in = placeholders(chunk.size());
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, target_id FROM request_target WHERE request_id IN ("
                    + in + ") ORDER BY request_id, position")) {
                bind(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) targets.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, site FROM request_site WHERE request_id IN ("
                    + in + ") ORDER BY request_id, site")) {
                bind(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) sites.computeIfAbsent(rs.getString(1), k -> new LinkedHashSet<>()).add(rs.getString(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, approver, verdict, comment, decided_at "
                    + "FROM approval WHERE request_id IN (" + in + ") ORDER BY request_id, decided_at, id")) {
                bind(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        approvals.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Approval(rs.getString(2),
                                Approval.Verdict.valueOf(rs.getString(3)), rs.getString(4), instant(rs, 5)));
                    }
                }
            }
        }
        List<AccessRequest> out = new ArrayList<>(rows.size());
        for (RequestRow r : rows) {
            out.add(new AccessRequest(r.id(), r.requester(), r.requesterOrg(), targets.getOrDefault(r.id(), List.of()),
                    sites.getOrDefault(r.id(), Set.of()), r.start(), r.duration(), r.reason(), r.ticket(), r.state(),
                    r.approvalsRequired(), r.decisionRule(), approvals.getOrDefault(r.id(), List.of()), r.createdAt(),
                    r.updatedAt()));
        }
        return out;
    }

    // ---- grants ----

    @Override
    public void insertGrant(Grant g) {
        live();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO access_grant (" + GRANT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, g.id());
            ps.setString(2, g.requestId());
            ps.setString(3, g.username());
            ps.setString(4, g.org());
            ps.setString(5, g.targetId());
            ps.setString(6, g.site());
            setInstant(ps, 7, g.notBefore());
            setInstant(ps, 8, g.notAfter());
            setInstant(ps, 9, g.revokedAt());
            ps.setString(10, g.revokedBy());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("insert grant " + g.id(), e, "grant " + g.id() + " already exists",
                    "request " + g.requestId() + " not found");
        }
    }

    @Override
    public Optional<Grant> findGrant(String id) {
        live();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + GRANT_COLUMNS + " FROM access_grant WHERE id = ?")) {
            ps.setString(1, id);
            return grants(ps).stream().findFirst();
        } catch (SQLException e) {
            throw fail("find grant " + id, e, null, null);
        }
    }

    @Override
    public List<Grant> grantsForRequest(String requestId) {
        live();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + GRANT_COLUMNS
                + " FROM access_grant WHERE request_id = ? ORDER BY not_before, id")) {
            ps.setString(1, requestId);
            return grants(ps);
        } catch (SQLException e) {
            throw fail("list grants of request " + requestId, e, null, null);
        }
    }

    @Override
    public List<Grant> listGrants(GrantFilter f) {
        live();
        if (f.sites() != null && f.sites().isEmpty()) return List.of();
        var sql = new StringBuilder("SELECT " + GRANT_COLUMNS + " FROM access_grant WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.username() != null) {
            sql.append(" AND username = ?");
            args.add(f.username());
        }
        if (f.org() != null) {
            sql.append(" AND org = ?");
            args.add(f.org());
        }
        if (f.targetId() != null) {
            sql.append(" AND target_id = ?");
            args.add(f.targetId());
        }
        if (f.sites() != null) {
            sql.append(" AND site IN (").append(placeholders(f.sites().size())).append(")");
            args.addAll(f.sites());
        }
        sql.append(" ORDER BY not_before DESC, id DESC LIMIT ?");
        args.add(f.limit());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            return grants(ps);
        } catch (SQLException e) {
            throw fail("list grants", e, null, null);
        }
    }

    /** The first revocation stands: revoking again keeps its time and author (idempotent). */
    @Override
    public void revokeGrant(String grantId, Instant at, String by) {
        live();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE access_grant SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL")) {
            setInstant(ps, 1, at);
            ps.setString(2, by);
            ps.setString(3, grantId);
            if (ps.executeUpdate() == 0 && findGrant(grantId).isEmpty()) {
                throw new NotFoundException("grant " + grantId + " not found");
            }
        } catch (SQLException e) {
            throw fail("revoke grant " + grantId, e, null, null);
        }
    }

    private static List<Grant> grants(PreparedStatement ps) throws SQLException {
        List<Grant> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), instant(rs, 7), instant(rs, 8), instant(rs, 9), rs.getString(10)));
            }
        }
        return out;
    }

    // ---- gateway sessions (SQL in SessionSql) ----

    @Override
    public void insertSession(GatewaySession session) {
        live();
        SessionSql.insert(c, session);
    }

    @Override
    public void endSession(String id, Instant endedAt, SessionEndReason reason, long bytesIn, long bytesOut, String recordingHead) {
        live();
        SessionSql.end(c, id, endedAt, reason, bytesIn, bytesOut, recordingHead);
    }

    @Override
    public Optional<GatewaySession> findSession(String id) {
        live();
        return SessionSql.find(c, id);
    }

    @Override
    public List<GatewaySession> listSessions(SessionFilter filter) {
        live();
        return SessionSql.list(c, filter);
    }

    // ---- audit chain ----

    @Override
    public AuditEvent appendAudit(AuditEventDraft draft, Instant now) {
        live();
        try {
            long headSeq;
            String headHash;
            // The row lock is what serialises appenders across connections and replicas.
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new UnavailableException("store: audit chain head is missing");
                headSeq = rs.getLong(1);
                headHash = rs.getString(2);
            }
            AuditEvent previous = null;
            if (headSeq > 0) {
                previous = auditEvent(headSeq).orElse(null);
                // Fail closed: appending after a tampered or truncated head would bless the damage with new hashes.
                if (previous == null || !previous.hash().equals(headHash)) {
                    throw new UnavailableException("store: audit chain head (seq " + headSeq
                            + ") does not match the stored events; run 'sallyport audit verify'");
                }
            }
            AuditEvent e = AuditChain.append(previous, draft, now);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (" + AUDIT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, e.seq());
                setInstant(ps, 2, e.time());
                ps.setString(3, e.actor());
                ps.setString(4, e.action());
                ps.setString(5, e.objectType());
                ps.setString(6, e.objectId());
                ps.setString(7, toJson(e.details()));
                ps.setString(8, e.prevHash());
                ps.setString(9, e.hash());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
                ps.setLong(1, e.seq());
                ps.setString(2, e.hash());
                ps.executeUpdate();
            }
            return e;
        } catch (SQLException e) {
            throw fail("append audit event", e, null, null);
        }
    }

    private Optional<AuditEvent> auditEvent(long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + AUDIT_COLUMNS + " FROM audit_event WHERE seq = ?")) {
            ps.setLong(1, seq);
            return auditEvents(ps).stream().findFirst();
        }
    }

    @Override
    public List<AuditEvent> readAudit(long fromSeq, int limit) {
        live();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + AUDIT_COLUMNS
                + " FROM audit_event WHERE seq >= ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, fromSeq);
            ps.setInt(2, limit);
            return auditEvents(ps);
        } catch (SQLException e) {
            throw fail("read audit", e, null, null);
        }
    }

    @Override
    public List<AuditEvent> searchAudit(AuditFilter f) {
        live();
        var sql = new StringBuilder("SELECT " + AUDIT_COLUMNS + " FROM audit_event WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(f.afterSeq());
        if (f.from() != null) {
            sql.append(" AND event_time >= ?");
            args.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" AND event_time < ?");
            args.add(f.to());
        }
        if (f.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(f.actor());
        }
        if (f.action() != null) {
            sql.append(" AND action = ?");
            args.add(f.action());
        }
        if (f.objectId() != null) {
            sql.append(" AND object_id = ?");
            args.add(f.objectId());
        }
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(f.limit());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            return auditEvents(ps);
        } catch (SQLException e) {
            throw fail("search audit", e, null, null);
        }
    }

    @Override
    public Optional<AuditEvent> lastAudit() {
        live();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + AUDIT_COLUMNS
                + " FROM audit_event ORDER BY seq DESC LIMIT 1")) {
            return auditEvents(ps).stream().findFirst();
        } catch (SQLException e) {
            throw fail("read last audit event", e, null, null);
        }
    }

    private static List<AuditEvent> auditEvents(PreparedStatement ps) throws SQLException {
        List<AuditEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new AuditEvent(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), fromJson(rs.getString(7)), rs.getString(8), rs.getString(9)));
            }
        }
        return out;
    }

    @Override
    public void insertCheckpoint(Checkpoint cp) {
        live();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoint (" + CHECKPOINT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, cp.seq());
            ps.setString(2, cp.headHash());
            setInstant(ps, 3, cp.time());
            ps.setString(4, cp.keyId());
            ps.setString(5, cp.signature());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("insert checkpoint", e, "a checkpoint at seq " + cp.seq() + " already exists", null);
        }
    }

    @Override
    public List<Checkpoint> checkpoints() {
        live();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS + " FROM audit_checkpoint ORDER BY seq")) {
            return checkpoints(ps);
        } catch (SQLException e) {
            throw fail("read checkpoints", e, null, null);
        }
    }

    @Override
    public Optional<Checkpoint> lastCheckpoint() {
        live();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS
                + " FROM audit_checkpoint ORDER BY seq DESC LIMIT 1")) {
            return checkpoints(ps).stream().findFirst();
        } catch (SQLException e) {
            throw fail("read last checkpoint", e, null, null);
        }
    }

    private static List<Checkpoint> checkpoints(PreparedStatement ps) throws SQLException {
        List<Checkpoint> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Checkpoint(rs.getLong(1), rs.getString(2), instant(rs, 3), rs.getString(4), rs.getString(5)));
            }
        }
        return out;
    }

    // ---- helpers ----

    /**
     * Maps a database failure to the broker's exceptions: a unique violation (SQLState 23505) is a conflict the
     * caller can explain, a missing parent row (23503 PostgreSQL, 23506 H2) a not-found, anything else means
     * the store is not working. Messages name the operation, never the connection's credentials.
     */
    static RuntimeException fail(String operation, SQLException e, String onDuplicate, String onMissingParent) {
        String state = e.getSQLState();
        if (onDuplicate != null && "23505".equals(state)) return new ConflictException(onDuplicate, e);
        if (onMissingParent != null && ("23503".equals(state) || "23506".equals(state))) {
            return new NotFoundException(onMissingParent, e);
        }
        return new UnavailableException("store: " + operation + " failed (SQLState " + state + ")", e);
    }

    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    static void bind(PreparedStatement ps, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Instant t) setInstant(ps, i + 1, t);
            else ps.setObject(i + 1, a);
        }
    }

    static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setObject(index, null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }
    }

    static Instant instant(ResultSet rs, int index) throws SQLException {
        OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String toJson(Map<String, String> details) {
        try {
            return JSON.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not serialisable", e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            Map<String, String> m = JSON.readValue(json, DETAILS);
            if (m != null && !m.containsKey(null) && !m.containsValue(null)) return m;
            return Map.of(UNPARSEABLE_DETAILS, String.valueOf(json));
        } catch (JsonProcessingException e) {
            // Details that do not parse are corruption or tampering. Hand them on as they are, so the event's hash
            // no longer matches and the verifier names this seq, instead of every read of the chain failing.
            return Map.of(UNPARSEABLE_DETAILS, json);
        }
    }
}

package org.sallyport.broker.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.SessionEndReason;

/** SQL for gateway sessions, kept apart from the request and audit SQL in {@link JdbcStoreTx}. */
final class SessionSql {
    private static final String COLUMNS = "id, grant_id, request_id, username, org, target_id, site, kind, command, started_at, "
            + "ended_at, end_reason, bytes_in, bytes_out, recording_id, recording_head";

    private SessionSql() {}

    static void insert(Connection c, GatewaySession s) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gateway_session (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            JdbcStoreTx.bind(ps, java.util.Arrays.asList(s.id(), s.grantId(), s.requestId(), s.username(), s.org(), s.targetId(),
                    s.site(), s.kind(), s.command(), s.startedAt(), s.endedAt(),
                    s.endReason() == null ? null : s.endReason().wireName(), s.bytesIn(), s.bytesOut(), s.recordingId(),
                    s.recordingHead()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw JdbcStoreTx.fail("insert session", e, "session " + s.id() + " exists", "grant " + s.grantId() + " not found");
        }
    }

    static void end(Connection c, String id, Instant endedAt, SessionEndReason reason, long bytesIn, long bytesOut, String head) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE gateway_session SET ended_at = ?, end_reason = ?, bytes_in = ?, "
                + "bytes_out = ?, recording_head = ? WHERE id = ? AND ended_at IS NULL")) {
            JdbcStoreTx.bind(ps, java.util.Arrays.asList(endedAt, reason.wireName(), bytesIn, bytesOut, head, id));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw JdbcStoreTx.fail("end session", e, null, null);
        }
    }

    static Optional<GatewaySession> find(Connection c, String id) {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM gateway_session WHERE id = ?")) {
            ps.setString(1, id);
            List<GatewaySession> out = rows(ps);
            return out.stream().findFirst();
        } catch (SQLException e) {
            throw JdbcStoreTx.fail("find session", e, null, null);
        }
    }

    static List<GatewaySession> list(Connection c, SessionFilter f) {
        if (f.sites() != null && f.sites().isEmpty()) return List.of();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM gateway_session WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.username() != null) {
            sql.append(" AND username = ?");
            args.add(f.username());
        }
        if (f.sites() != null) {
            sql.append(" AND site IN (").append(JdbcStoreTx.placeholders(f.sites().size())).append(')');
            args.addAll(f.sites());
        }
        if (f.liveOnly()) sql.append(" AND ended_at IS NULL");
        sql.append(" ORDER BY started_at DESC, id LIMIT ").append(f.limit());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            JdbcStoreTx.bind(ps, args);
            return rows(ps);
        } catch (SQLException e) {
            throw JdbcStoreTx.fail("list sessions", e, null, null);
        }
    }

    private static List<GatewaySession> rows(PreparedStatement ps) throws SQLException {
        List<GatewaySession> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String reason = rs.getString(12);
                out.add(new GatewaySession(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), JdbcStoreTx.instant(rs, 10),
                        JdbcStoreTx.instant(rs, 11), reason == null ? null : SessionEndReason.fromWireName(reason),
                        rs.getLong(13), rs.getLong(14), rs.getString(15), rs.getString(16)));
            }
        }
        return out;
    }
}

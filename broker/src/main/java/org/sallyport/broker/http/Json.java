package org.sallyport.broker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Approval;
import org.sallyport.broker.domain.Grant;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.domain.Target;
import org.sallyport.recorder.audit.AuditEvent;

/** Domain records to the API's JSON (field names as in openapi.yaml). Secrets have no mapping here at all. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    private Json() {}

    public static ObjectNode user(Principal p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("username", p.username());
        strings(n.putArray("roles"), p.roles().stream().map(Role::wireName).sorted().toList());
        n.put("org", p.org());
        strings(n.putArray("sites"), p.sites().stream().sorted().toList());
        return n;
    }

    public static ObjectNode target(Target t) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", t.id());
        n.put("site", t.site());
        n.put("kind", t.kind());
        n.put("address", t.address());
        n.put("sshPort", t.sshPort());
        n.put("httpPort", t.httpPort());
        n.put("hostKey", t.hostKey());
        strings(n.putArray("tags"), t.tags().stream().sorted().toList());
        n.put("approvalsRequired", t.approvalsRequired());
        return n;
    }

    public static ObjectNode request(AccessRequest r, List<Grant> grants, Instant now) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", r.id());
        n.put("state", r.state().name());
        n.put("requester", r.requester());
        n.put("requesterOrg", r.requesterOrg());
        strings(n.putArray("targets"), r.targets());
        strings(n.putArray("sites"), r.sites().stream().sorted().toList());
        n.put("start", r.start().toString());
        n.put("end", r.end().toString());
        n.put("duration", r.duration().toString());
        n.put("reason", r.reason());
        n.put("ticket", r.ticket());
        n.put("approvalsRequired", r.approvalsRequired());
        n.put("decisionRule", r.decisionRule());
        ArrayNode approvals = n.putArray("approvals");
        for (Approval a : r.approvals()) {
            ObjectNode an = approvals.addObject();
            an.put("approver", a.approver());
            an.put("verdict", a.verdict().name());
            an.put("comment", a.comment());
            an.put("at", a.at().toString());
        }
        ArrayNode gs = n.putArray("grants");
        grants.forEach(g -> gs.add(grant(g, now)));
        n.put("createdAt", r.createdAt().toString());
        n.put("updatedAt", r.updatedAt().toString());
        return n;
    }

    public static ObjectNode grant(Grant g, Instant now) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", g.id());
        n.put("requestId", g.requestId());
        n.put("username", g.username());
        n.put("org", g.org());
        n.put("targetId", g.targetId());
        n.put("site", g.site());
        n.put("notBefore", g.notBefore().toString());
        n.put("notAfter", g.notAfter().toString());
        n.put("status", g.status(now));
        n.put("revokedAt", g.revokedAt() == null ? null : g.revokedAt().toString());
        n.put("revokedBy", g.revokedBy());
        return n;
    }

    public static ObjectNode auditEvent(AuditEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("seq", e.seq());
        n.put("time", e.time().toString());
        n.put("actor", e.actor());
        n.put("action", e.action());
        n.put("objectType", e.objectType());
        n.put("objectId", e.objectId());
        ObjectNode d = n.putObject("details");
        e.details().forEach(d::put);
        n.put("prevHash", e.prevHash());
        n.put("hash", e.hash());
        return n;
    }

    public static ObjectNode session(org.sallyport.broker.domain.GatewaySession s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", s.id());
        n.put("grantId", s.grantId());
        n.put("requestId", s.requestId());
        n.put("username", s.username());
        n.put("org", s.org());
        n.put("targetId", s.targetId());
        n.put("site", s.site());
        n.put("kind", s.kind());
        n.put("command", s.command());
        n.put("startedAt", s.startedAt().toString());
        n.put("endedAt", s.endedAt() == null ? null : s.endedAt().toString());
        n.put("live", s.live());
        n.put("endReason", s.endReason() == null ? null : s.endReason().wireName());
        n.put("bytesIn", s.bytesIn());
        n.put("bytesOut", s.bytesOut());
        n.put("recordingId", s.recordingId());
        n.put("recordingHead", s.recordingHead());
        return n;
    }

    private static void strings(ArrayNode a, Collection<String> values) {
        values.forEach(a::add);
    }
}

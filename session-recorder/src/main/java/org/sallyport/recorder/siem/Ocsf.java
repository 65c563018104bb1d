package org.sallyport.recorder.siem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sallyport.recorder.audit.AuditEvent;

/**
 * Maps an audit event to an OCSF-shaped object (Open Cybersecurity Schema Framework 1.3; SIEM.md has the table). The
 * mapping is lossless: every field of the event, including its chain hashes, is kept (mapped or under {@code unmapped}),
 * so a SIEM record can be traced back to the verified chain by {@code metadata.sequence} and {@code unmapped.hash}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Ocsf {
    public static final String SCHEMA_VERSION = "1.3.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** OCSF class, activity and severity of one event. */
    public record Classification(int categoryUid, int classUid, String className, int activityId, int severityId, int statusId) {
        public int typeUid() {
            return classUid * 100 + activityId;
        }
    }

    private Ocsf() {}

    public static Classification classify(AuditEvent e) {
        String a = e.action();
        boolean refused = a.contains("refused") || a.endsWith("-failed") || a.endsWith("mismatch");
        int status = refused ? 2 : 1;
        if (a.startsWith("auth.")) return new Classification(3, 3002, "Authentication", 1, refused ? 3 : 1, status);
        if (a.equals("session.started")) return new Classification(4, 4007, "SSH Activity", 1, 1, 1);
        if (a.equals("session.ended")) {
            String reason = e.details().getOrDefault("reason", "");
            int sev = reason.equals("completed") || reason.equals("expired") ? 1 : 3;
            return new Classification(4, 4007, "SSH Activity", 2, sev, 1);
        }
        if (a.equals("session.refused") || a.equals("gateway.auth-refused") || a.equals("device.host-key-mismatch")) {
            return new Classification(4, 4007, "SSH Activity", 5, 3, 2);
        }
        if (a.startsWith("session.guard-")) {
            boolean terminate = a.endsWith("terminate");
            return new Classification(2, 2004, "Detection Finding", 1, terminate ? 4 : 3, 1);
        }
        if (a.equals("session.channel-refused")) return new Classification(2, 2004, "Detection Finding", 1, 3, 1);
        if (a.equals("grant.issued")) return new Classification(3, 3005, "User Access Management", 1, 1, 1);
        if (a.equals("grant.revoked")) return new Classification(3, 3005, "User Access Management", 2, 2, 1);
        return new Classification(6, 6003, "API Activity", 99, refused ? 3 : 1, status);
    }

    /** The OCSF-shaped object for {@code e}. */
    public static ObjectNode toOcsf(AuditEvent e, String product) {
        Classification c = classify(e);
        ObjectNode n = JSON.createObjectNode();
        n.put("category_uid", c.categoryUid());
        n.put("class_uid", c.classUid());
        n.put("class_name", c.className());
        n.put("activity_id", c.activityId());
        n.put("type_uid", c.typeUid());
        n.put("severity_id", c.severityId());
        n.put("status_id", c.statusId());
        n.put("time", e.time().toEpochMilli());
        n.put("message", e.action() + (e.objectId() == null ? "" : " " + e.objectType() + " " + e.objectId()));
        ObjectNode meta = n.putObject("metadata");
        meta.put("version", SCHEMA_VERSION);
        meta.put("uid", e.hash());
        meta.put("sequence", e.seq());
        meta.put("original_time", e.time().toString());
        meta.put("log_name", "sallyport-audit");
        ObjectNode prod = meta.putObject("product");
        prod.put("name", product);
        prod.put("vendor_name", "Sallyport");
        n.putObject("actor").putObject("user").put("name", e.actor());
        if (c.classUid() == 2004) {
            ObjectNode finding = n.putObject("finding_info");
            finding.put("uid", e.hash());
            finding.put("title", e.details().getOrDefault("reason", e.action()));
            ObjectNode rule = n.putObject("rule");
            rule.put("uid", e.details().getOrDefault("rule", "gateway.channel-default-deny"));
            rule.put("name", e.details().getOrDefault("rule", "gateway.channel-default-deny"));
        }
        if (e.objectType().equals("session") && e.objectId() != null) n.putObject("session").put("uid", e.objectId());
        ObjectNode un = n.putObject("unmapped");
        un.put("action", e.action());
        un.put("object_type", e.objectType());
        if (e.objectId() != null) un.put("object_id", e.objectId());
        ObjectNode d = un.putObject("details");
        e.details().forEach(d::put);
        un.put("prev_hash", e.prevHash());
        un.put("hash", e.hash());
        return n;
    }

    public static String toJson(AuditEvent e, String product) {
        try {
            return JSON.writeValueAsString(toOcsf(e, product));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}

package org.sallyport.broker.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.BufferedOutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.audit.EvidenceExporter;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.broker.error.InvalidInputException;
import org.sallyport.broker.report.ComplianceReport;
import org.sallyport.broker.report.ComplianceReportBuilder;
import org.sallyport.broker.report.ComplianceReportRenderer;
import io.vertx.core.buffer.Buffer;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.crypto.KeyFormatException;
import org.sallyport.recorder.crypto.RecipientKey;
import org.sallyport.recorder.evidence.RecordingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/audit/export}: an inspector's evidence bundle, streamed as it is written (bounded memory, on a
 * virtual thread, never on the event loop). The broker first signs a checkpoint over its head, so the newest events
 * of the period are pinned. Start and end of every export are audit events.
 */
public final class EvidenceRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceRoutes.class);

    private final Vertx vertx;
    private final AuditLog audit;
    private final EvidenceExporter exporter;
    private final ComplianceReportBuilder reports;

    public EvidenceRoutes(Vertx vertx, AuditLog audit, EvidenceExporter exporter, ComplianceReportBuilder reports) {
        this.vertx = vertx;
        this.audit = audit;
        this.exporter = exporter;
        this.reports = reports;
    }

    public void mount(Router router) {
        router.get("/api/audit/export").handler(this::export);
        router.get("/api/audit/report").handler(this::report);
    }

    /** {@code GET /api/audit/report}: the vendor compliance report for a period, HTML or PDF (built on a worker). */
    private void report(RoutingContext ctx) {
        Principal p = ApiVerticle.principal(ctx);
        Instant from = date(ctx, "from", true);
        Instant to = date(ctx, "to", true);
        String format = ctx.queryParams().get("format") == null ? "html" : ctx.queryParams().get("format");
        if (!format.equals("html") && !format.equals("pdf")) throw new InvalidInputException("format", "html or pdf");
        vertx.executeBlocking(() -> {
            if (!p.has(Role.INSPECTOR) && !p.has(Role.ADMIN)) {
                audit.record(new AuditEventDraft(p.username(), "audit.access-refused", "audit", null, Map.of("operation", "report")));
                throw new ForbiddenException("only inspectors and admins read compliance reports");
            }
            ComplianceReport r = reports.build(from, to);
            audit.record(new AuditEventDraft(p.username(), "audit.report", "audit", null,
                    Map.of("from", from.toString(), "to", to.toString(), "format", format)));
            if (format.equals("html")) return Buffer.buffer(ComplianceReportRenderer.html(r));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ComplianceReportRenderer.pdf(r, out);
            return Buffer.buffer(out.toByteArray());
        }, false).onFailure(ctx::fail).onSuccess(body -> ctx.response()
                .putHeader("Content-Type", format.equals("html") ? "text/html; charset=utf-8" : "application/pdf")
                .putHeader("Content-Disposition", "attachment; filename=\"sallyport-compliance." + format + "\"")
                .end(body));
    }

    private void export(RoutingContext ctx) {
        Principal p = ApiVerticle.principal(ctx);
        EvidenceExporter.Request req = request(ctx);
        Context context = vertx.getOrCreateContext();
        vertx.executeBlocking(() -> {
            if (!p.has(Role.INSPECTOR) && !p.has(Role.ADMIN)) {
                audit.record(new AuditEventDraft(p.username(), "audit.access-refused", "audit", null, Map.of("operation", "export")));
                throw new ForbiddenException("only inspectors and admins export evidence");
            }
            audit.record(new AuditEventDraft(p.username(), "audit.export-started", "audit", null, details(req)));
            audit.checkpointNow(); // pins the newest events of the period, including the one just written
            return exporter.plan(req);
        }, false).onFailure(ctx::fail).onSuccess(plan -> {
            String name = "sallyport-evidence-" + req.from().toString().substring(0, 10) + "-" + req.to().toString().substring(0, 10) + ".zip";
            ctx.response().setChunked(true)
                    .putHeader("Content-Type", "application/zip")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
            ResponseOutputStream out = new ResponseOutputStream(context, ctx.response());
            String source = ctx.request().scheme() + "://" + ctx.request().authority();
            Thread.ofVirtual().name("evidence-export").start(() -> {
                try {
                    EvidenceExporter.Result r = exporter.export(plan, new BufferedOutputStream(out, 1 << 16), source, null);
                    Map<String, String> d = details(req);
                    d.put("firstSeq", Long.toString(r.firstSeq()));
                    d.put("lastSeq", Long.toString(r.lastSeq()));
                    d.put("events", Long.toString(r.selectedEvents()));
                    d.put("bytes", Long.toString(out.written()));
                    audit.record(new AuditEventDraft(p.username(), "audit.export-completed", "audit", null, d));
                } catch (Exception e) {
                    LOG.warn("evidence export for {} aborted: {}", p.username(), e.toString());
                    out.abort();
                    try {
                        Map<String, String> d = details(req);
                        d.put("error", e.getClass().getSimpleName());
                        audit.record(new AuditEventDraft(p.username(), "audit.export-failed", "audit", null, d));
                    } catch (RuntimeException ignored) {
                        // the log line above is all that is left
                    }
                }
            });
        });
    }

    private static Map<String, String> details(EvidenceExporter.Request r) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("from", r.from().toString());
        d.put("to", r.to().toString());
        if (r.vendor() != null) d.put("vendor", r.vendor());
        if (r.target() != null) d.put("target", r.target());
        if (r.site() != null) d.put("site", r.site());
        d.put("recordings", r.recordings().wireName());
        if (r.recipient() != null) d.put("recipientKeyId", r.recipient().keyId());
        return d;
    }

    static EvidenceExporter.Request request(RoutingContext ctx) {
        Instant from = date(ctx, "from", true);
        Instant to = date(ctx, "to", true);
        String mode = ctx.queryParams().get("recordings");
        RecordingMode rm;
        try {
            rm = mode == null || mode.isBlank() ? RecordingMode.MANIFESTS : RecordingMode.fromWireName(mode);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("recordings", "one of none, manifests, sealed, recipient");
        }
        RecipientKey recipient = null;
        String rk = ctx.queryParams().get("recipient");
        if (rk != null && !rk.isBlank()) {
            try {
                recipient = RecipientKey.fromRawPublic(Base64.getUrlDecoder().decode(rk.strip()));
            } catch (IllegalArgumentException | KeyFormatException e) {
                throw new InvalidInputException("recipient", "the raw X25519 public key in base64url (32 bytes)");
            }
            if (mode == null || mode.isBlank()) rm = RecordingMode.RECIPIENT;
        }
        return new EvidenceExporter.Request(from, to, text(ctx, "vendor"), text(ctx, "target"), text(ctx, "site"), rm, recipient);
    }

    private static String text(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) return null;
        if (v.length() > 200) throw new InvalidInputException(name, "at most 200 characters");
        return v.strip();
    }

    /** An ISO-8601 instant, or a date (UTC midnight); {@code to} as a date means the end of that day. */
    static Instant date(RoutingContext ctx, String name, boolean required) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) {
            if (required) throw new InvalidInputException(name, "required: an ISO-8601 date or date-time");
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                LocalDate d = LocalDate.parse(v);
                return (name.equals("to") ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidInputException(name, "'" + v + "' is not an ISO-8601 date or date-time");
            }
        }
    }
}

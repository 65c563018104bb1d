package org.sallyport.broker.report;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link ComplianceReport} as a self-contained XHTML page (no script, no external resource; charts as inline
 * SVG) or as PDF through openhtmltopdf (PDFBox), where the same charts are drawn as CSS bars because the PDF renderer
 * has no SVG support without Batik. Every text from the store is escaped: comments and reasons are typed by vendors.
 *
 * <h2>Restrictions</h2>
 * The PDF uses the standard PDF fonts (Latin-1); other characters show as '#'.
 */
public final class ComplianceReportRenderer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private ComplianceReportRenderer() {}

    public static String html(ComplianceReport r) {
        return page(r, true);
    }

    public static void pdf(ComplianceReport r, OutputStream out) throws IOException {
        PdfRendererBuilder b = new PdfRendererBuilder();
        b.useFastMode();
        b.withHtmlContent(page(r, false), null);
        b.toStream(out);
        b.run();
    }

    private record Bar(String label, double value, String text) {}

    private static String page(ComplianceReport r, boolean svg) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<title>Vendor compliance report ").append(esc(day(r.from()))).append(" to ").append(esc(day(r.to()))).append("</title>")
                .append("<style>").append(CSS).append("</style></head><body>");
        h.append("<h1>Vendor compliance report</h1>");
        h.append("<p class=\"meta\">Period ").append(esc(TIME.format(r.from()))).append(" to ").append(esc(TIME.format(r.to())))
                .append(" (end exclusive). Generated ").append(esc(TIME.format(r.generatedAt()))).append(" from audit events ")
                .append(r.firstSeq()).append("..").append(r.lastSeq()).append(" (").append(r.events()).append(" events) of the chain signed by key ")
                .append(esc(r.brokerKeyId())).append(". Each row names its event (#seq): check them with an evidence bundle of the same period"
                        + " (<code>sallyport audit export</code>, <code>sallyport audit verify</code>).</p>");

        long vendors = r.sessions().stream().map(ComplianceReport.SessionRow::org).distinct().count();
        long approvals = r.decisions().stream().filter(d -> d.verdict().equals("approved")).count();
        h.append("<table class=\"summary\"><tr>")
                .append(cell("Sessions", r.sessions().size())).append(cell("Vendors", vendors)).append(cell("Approvals", approvals))
                .append(cell("Denials", r.decisions().size() - approvals)).append(cell("Policy violations", r.violations().size()))
                .append(cell("Terminated sessions", r.terminations().size())).append("</tr></table>");

        // sessions per vendor and target
        h.append("<h2>Sessions per vendor and target</h2>");
        Map<String, long[]> perVendor = new TreeMap<>();
        Map<String, long[]> perPair = new TreeMap<>();
        for (var s : r.sessions()) {
            long[] v = perVendor.computeIfAbsent(s.org(), k -> new long[3]);
            v[0]++;
            v[1] += s.used().toSeconds();
            v[2] += s.window().toSeconds();
            long[] p = perPair.computeIfAbsent(s.org() + "\u0000" + s.target(), k -> new long[3]);
            p[0]++;
            p[1] += s.used().toSeconds();
            p[2] += s.window().toSeconds();
        }
        List<Bar> bars = new ArrayList<>();
        perVendor.forEach((k, v) -> bars.add(new Bar(k, v[0], Long.toString(v[0]))));
        h.append(chart("Sessions per vendor", bars, svg));
        h.append("<table><tr><th>Vendor</th><th>Target</th><th>Sessions</th><th>Time used</th><th>Approved windows</th><th>Used</th></tr>");
        perPair.forEach((k, v) -> {
            String[] parts = k.split("\u0000", 2);
            h.append("<tr><td>").append(esc(parts[0])).append("</td><td>").append(esc(parts[1])).append("</td><td class=\"n\">").append(v[0])
                    .append("</td><td class=\"n\">").append(dur(v[1])).append("</td><td class=\"n\">").append(dur(v[2]))
                    .append("</td><td class=\"n\">").append(pct(v[1], v[2])).append("</td></tr>");
        });
        if (perPair.isEmpty()) h.append("<tr><td colspan=\"6\">No sessions in this period.</td></tr>");
        h.append("</table>");

        // time used vs windows
        h.append("<h2>Time used against approved windows</h2>");
        List<Bar> used = new ArrayList<>();
        perVendor.forEach((k, v) -> {
            used.add(new Bar(k + " used", v[1], dur(v[1])));
            used.add(new Bar(k + " window", v[2], dur(v[2])));
        });
        h.append(chart("Minutes used and approved, per vendor", used, svg));
        h.append("<table><tr><th>#</th><th>Session</th><th>User</th><th>Vendor</th><th>Target</th><th>Site</th><th>Start</th>"
                + "<th>End</th><th>End reason</th><th>Used</th><th>Window</th></tr>");
        for (var s : r.sessions()) {
            h.append("<tr><td>").append(s.seq()).append("</td><td>").append(esc(shortId(s.sessionId()))).append("</td><td>").append(esc(s.user()))
                    .append("</td><td>").append(esc(s.org())).append("</td><td>").append(esc(s.target())).append("</td><td>").append(esc(s.site()))
                    .append("</td><td>").append(esc(time(s.start()))).append("</td><td>").append(esc(s.end() == null ? "live" : time(s.end())))
                    .append("</td><td>").append(esc(s.endReason())).append("</td><td class=\"n\">").append(dur(s.used().toSeconds()))
                    .append("</td><td class=\"n\">").append(dur(s.window().toSeconds())).append("</td></tr>");
        }
        h.append("</table>");

        // approvals
        h.append("<h2>Approvals and who gave them</h2><table><tr><th>#</th><th>When</th><th>Request</th><th>Requester</th><th>Vendor</th>"
                + "<th>Targets</th><th>Decision</th><th>By</th><th>Comment</th></tr>");
        for (var d : r.decisions()) {
            h.append("<tr><td>").append(d.seq()).append("</td><td>").append(esc(time(d.at()))).append("</td><td>").append(esc(shortId(d.requestId())))
                    .append("</td><td>").append(esc(d.requester())).append("</td><td>").append(esc(d.org())).append("</td><td>").append(esc(d.targets()))
                    .append("</td><td>").append(esc(d.verdict())).append("</td><td>").append(esc(d.approver())).append("</td><td>")
                    .append(esc(d.comment())).append("</td></tr>");
        }
        if (r.decisions().isEmpty()) h.append("<tr><td colspan=\"9\">No decisions in this period.</td></tr>");
        h.append("</table>");

        // violations
        h.append("<h2>Policy violations</h2>");
        Map<String, Long> perRule = new TreeMap<>();
        r.violations().forEach(v -> perRule.merge(v.ruleId(), 1L, Long::sum));
        List<Bar> rules = new ArrayList<>();
        perRule.forEach((k, v) -> rules.add(new Bar(k, v, Long.toString(v))));
        h.append(chart("Violations per rule", rules, svg));
        h.append("<table><tr><th>#</th><th>When</th><th>User</th><th>Vendor</th><th>Target</th><th>Rule</th><th>Verdict</th><th>Reason</th></tr>");
        for (var v : r.violations()) {
            h.append("<tr><td>").append(v.seq()).append("</td><td>").append(esc(time(v.at()))).append("</td><td>").append(esc(v.user()))
                    .append("</td><td>").append(esc(v.org())).append("</td><td>").append(esc(v.target())).append("</td><td><code>")
                    .append(esc(v.ruleId())).append("</code></td><td>").append(esc(v.action())).append("</td><td>").append(esc(v.reason()))
                    .append("</td></tr>");
        }
        if (r.violations().isEmpty()) h.append("<tr><td colspan=\"8\">No violations in this period.</td></tr>");
        h.append("</table>");

        // terminations
        h.append("<h2>Terminated sessions</h2><table><tr><th>#</th><th>When</th><th>Session</th><th>User</th><th>Vendor</th><th>Target</th>"
                + "<th>Reason</th><th>By</th></tr>");
        for (var t : r.terminations()) {
            h.append("<tr><td>").append(t.seq()).append("</td><td>").append(esc(time(t.at()))).append("</td><td>").append(esc(shortId(t.sessionId())))
                    .append("</td><td>").append(esc(t.user())).append("</td><td>").append(esc(t.org())).append("</td><td>").append(esc(t.target()))
                    .append("</td><td>").append(esc(t.reason())).append("</td><td>").append(esc(t.by())).append("</td></tr>");
        }
        if (r.terminations().isEmpty()) h.append("<tr><td colspan=\"8\">No sessions were terminated in this period.</td></tr>");
        h.append("</table></body></html>\n");
        return h.toString();
    }

    /** A horizontal bar chart: inline SVG for browsers, CSS bars for the PDF renderer. */
    private static String chart(String title, List<Bar> bars, boolean svg) {
        if (bars.isEmpty()) return "";
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(1);
        if (max <= 0) max = 1;
        StringBuilder c = new StringBuilder();
        if (svg) {
            int rowH = 22;
            int height = 24 + rowH * bars.size();
            c.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"").append(height)
                    .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\"><text x=\"0\" y=\"14\" class=\"t\">")
                    .append(esc(title)).append("</text>");
            int y = 24;
            for (Bar b : bars) {
                int w = (int) Math.round(400 * b.value() / max);
                c.append("<text x=\"0\" y=\"").append(y + 15).append("\">").append(esc(b.label())).append("</text>")
                        .append("<rect x=\"220\" y=\"").append(y + 3).append("\" width=\"").append(Math.max(w, 1)).append("\" height=\"16\" fill=\"")
                        .append(b.label().endsWith(" window") ? "#b8c7d9" : "#2b6cb0").append("\"/>")
                        .append("<text x=\"").append(226 + w).append("\" y=\"").append(y + 15).append("\">").append(esc(b.text())).append("</text>");
                y += rowH;
            }
            c.append("</svg></figure>");
        } else {
            c.append("<div class=\"chart\"><div class=\"t\">").append(esc(title)).append("</div><table class=\"bars\">");
            for (Bar b : bars) {
                int pct = (int) Math.round(100 * b.value() / max);
                c.append("<tr><td class=\"l\">").append(esc(b.label())).append("</td><td class=\"b\"><div class=\"bar")
                        .append(b.label().endsWith(" window") ? " w" : "").append("\" style=\"width:").append(Math.max(pct, 1))
                        .append("%\">&#160;</div></td><td class=\"v\">").append(esc(b.text())).append("</td></tr>");
            }
            c.append("</table></div>");
        }
        return c.toString();
    }

    private static String cell(String label, long value) {
        return "<td><div class=\"big\">" + value + "</div><div>" + esc(label) + "</div></td>";
    }

    private static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    private static String day(Instant t) {
        return t.toString().substring(0, 10);
    }

    private static String shortId(String id) {
        return id == null ? "" : id.length() > 8 ? id.substring(0, 8) : id;
    }

    static String dur(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        return String.format(Locale.ROOT, "%dh %02dm", d.toHours(), d.toMinutesPart());
    }

    private static String pct(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
    }

    /** XML text escaping, also dropping characters XML 1.0 forbids (a vendor-typed comment must not break the page). */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') b.append('\uFFFD');
                    else b.append(ch);
                }
            }
        }
        return b.toString();
    }

    private static final String CSS = "body{font-family:Helvetica,Arial,sans-serif;font-size:10pt;color:#1a202c;margin:24px}"
            + "h1{font-size:18pt;margin:0 0 6px}h2{font-size:13pt;margin:22px 0 6px;border-bottom:1px solid #cbd5e0}"
            + ".meta{color:#4a5568}table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #e2e8f0;padding:3px 5px;"
            + "text-align:left;vertical-align:top}th{background:#edf2f7}td.n{text-align:right}.summary td{text-align:center;border:none}"
            + ".big{font-size:18pt;font-weight:bold}svg text{font-size:11px;font-family:Helvetica,Arial,sans-serif}svg .t{font-weight:bold}"
            + ".chart .t{font-weight:bold;margin:6px 0}.bars td{border:none;padding:1px 4px}.bars td.l{width:30%}.bars td.v{width:15%}"
            + ".bar{background:#2b6cb0;height:12px}.bar.w{background:#b8c7d9}code{font-family:Courier,monospace}";
}

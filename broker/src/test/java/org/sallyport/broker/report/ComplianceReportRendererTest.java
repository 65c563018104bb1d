package org.sallyport.broker.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class ComplianceReportRendererTest {
    static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

    static ComplianceReport sample() {
        return new ComplianceReport(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-08T00:00:00Z"), T, "0a1b2c3d4e5f6789",
                1, 40, 40,
                List.of(new ComplianceReport.SessionRow(7, "sess-1234567890", "tech", "acme-optics", "cam-anz-01", "anzalduas", T,
                                T.plusSeconds(1800), "completed", Duration.ofMinutes(30), Duration.ofMinutes(45)),
                        new ComplianceReport.SessionRow(19, "sess-2", "tech2", "borealis-systems", "cam-north-01", "north", T.plusSeconds(7200),
                                T.plusSeconds(7500), "policy-violation", Duration.ofMinutes(5), Duration.ofHours(1))),
                List.of(new ComplianceReport.Decision(4, T, "req-1", "tech", "acme-optics", "cam-anz-01", "supervisor", "approved",
                        "<script>alert(1)</script> ticket INC-1042 & co")),
                List.of(new ComplianceReport.Violation(21, T.plusSeconds(7400), "tech2", "borealis-systems", "sess-2", "cam-north-01",
                        "export.image-signature", "guard-terminate", "JPEG bytes in output")),
                List.of(new ComplianceReport.Termination(22, T.plusSeconds(7500), "sess-2", "tech2", "borealis-systems", "cam-north-01",
                        "policy-violation", "policy")));
    }

    @Test
    void htmlIsWellFormedSelfContainedAndEscapesWhatVendorsTyped() throws Exception {
        String html = ComplianceReportRenderer.html(sample());
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new java.io.ByteArrayInputStream(html.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt; ticket INC-1042 &amp; co")
                .contains("<svg").contains("Sessions per vendor").contains("export.image-signature").contains("supervisor")
                .contains("acme-optics").contains("borealis-systems").contains("0h 30m").contains("67%")
                .doesNotContain("href=").doesNotContain("src=").doesNotContain("<script");
    }

    @Test
    void pdfHasEverySection() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ComplianceReportRenderer.pdf(sample(), out);
        try (var doc = Loader.loadPDF(out.toByteArray())) {
            String text = new PDFTextStripper().getText(doc);
            if (System.getProperty("report.dump") != null) java.nio.file.Files.write(java.nio.file.Path.of(System.getProperty("report.dump")), out.toByteArray());
            assertThat(text).contains("Vendor compliance report").contains("Sessions per vendor and target")
                    .contains("Approvals and who gave them").contains("Policy violations").contains("export.image-signature")
                    .contains("Terminated sessions").contains("Time used against approved windows").contains("<script>");
        }
    }
}

package org.sallyport.recorder.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.sallyport.recorder.audit.AuditChain;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.AuditEventDraft;

/** The forwarder against a real TLS listener on loopback: what arrives is RFC 5425-framed RFC 5424 with OCSF JSON. */
class SyslogTlsForwarderTest {
    static final Instant T = Instant.parse("2026-03-01T08:00:00.123456Z");

    record Tls(SSLContext server, SSLContext client) {}

    static Tls tls(String san) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=siem"), BigInteger.ONE, Date.from(T.minusSeconds(86400 * 365L)),
                Date.from(Instant.now().plusSeconds(86400)), new X500Name("CN=siem"), kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, san)));
        byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("siem", kp.getPrivate(), "pw".toCharArray(), new java.security.cert.Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("siem", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return new Tls(server, client);
    }

    static List<AuditEvent> events() {
        List<AuditEvent> out = new ArrayList<>();
        AuditEvent prev = null;
        prev = AuditChain.append(prev, new AuditEventDraft("tech", "session.started", "session", "s-1", Map.of("target", "cam-1")), T);
        out.add(prev);
        prev = AuditChain.append(prev, new AuditEventDraft("tech", "session.guard-terminate", "session", "s-1",
                Map.of("rule", "export.image-signature", "reason", "JPEG \"bytes\" ]in output")), T.plusSeconds(1));
        out.add(prev);
        prev = AuditChain.append(prev, new AuditEventDraft("anonymous", "auth.login-failed", "user", "tech", Map.of()), T.plusSeconds(2));
        out.add(prev);
        return out;
    }

    /** Reads octet-counted frames until {@code n} messages arrived. */
    static List<String> receive(SSLServerSocket server, int n) throws IOException {
        List<String> got = new ArrayList<>();
        try (SSLSocket s = (SSLSocket) server.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            while (got.size() < n) {
                StringBuilder len = new StringBuilder();
                for (int c = in.read(); c != ' '; c = in.read()) {
                    if (c < 0) return got;
                    len.append((char) c);
                }
                byte[] msg = new byte[Integer.parseInt(len.toString())];
                in.readFully(msg);
                got.add(new String(msg, StandardCharsets.UTF_8));
            }
        }
        return got;
    }

    @Test
    void eventsArriveAsFramedRfc5424WithOcsfJsonOverVerifiedTls() throws Exception {
        Tls tls = tls("127.0.0.1");
        try (SSLServerSocket server = (SSLServerSocket) tls.server().getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> received = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    received.complete(receive(server, 3));
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
            try (SyslogTlsForwarder f = new SyslogTlsForwarder("127.0.0.1", server.getLocalPort(), tls.client(), "broker-1", "sallyport")) {
                assertEquals(3, f.sendAll(events().iterator()));
                assertEquals(3, f.lastSent());
            }
            List<String> msgs = received.get(10, TimeUnit.SECONDS);
            assertEquals(3, msgs.size());
            // <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] BOM MSG; facility 13 (log audit)
            assertTrue(msgs.get(0).startsWith("<110>1 2026-03-01T08:00:00.123456Z broker-1 sallyport - session.started [sallyport@32473 seq=\"1\" hash=\""), msgs.get(0));
            assertTrue(msgs.get(1).startsWith("<107>1 "), "guard-terminate is an error: " + msgs.get(1));
            assertTrue(msgs.get(1).contains("actor=\"tech\" object=\"session:s-1\"]"), msgs.get(1));
            String json = msgs.get(1).substring(msgs.get(1).indexOf('\uFEFF') + 1);
            JsonNode o = new ObjectMapper().readTree(json);
            assertEquals(2004, o.get("class_uid").asInt());
            assertEquals(200401, o.get("type_uid").asInt());
            assertEquals("export.image-signature", o.at("/rule/uid").asText());
            assertEquals(2, o.at("/metadata/sequence").asLong());
            assertEquals(events().get(1).hash(), o.at("/unmapped/hash").asText());
            JsonNode login = new ObjectMapper().readTree(msgs.get(2).substring(msgs.get(2).indexOf('\uFEFF') + 1));
            assertEquals(3002, login.get("class_uid").asInt());
            assertEquals(2, login.get("status_id").asInt());
        }
    }

    @Test
    void structuredDataIsEscaped() {
        assertEquals("a\\\"b\\\\c\\]", Syslog.param("a\"b\\c]"));
        assertEquals("sess_ion", Syslog.token("sess ion", 32));
    }
}

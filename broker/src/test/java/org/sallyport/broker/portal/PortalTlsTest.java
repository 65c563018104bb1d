package org.sallyport.broker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.identity.PasswordHasher;
import org.sallyport.broker.server.Broker;
import org.sallyport.broker.testing.MutableClock;

/** With TLS on, the portal's cookie is Secure under the __Host- prefix and pages carry HSTS. */
class PortalTlsTest {
    @TempDir
    Path dir;

    @Test
    void sessionCookieIsSecureHostOnlyAndPagesCarryHsts() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=sallyport-portal-test"), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=sallyport-portal-test"),
                kp.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(certFile, pem(cert));
        Files.writeString(keyFile, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(), null).generate()));

        var account = new BrokerConfig.LocalAccount("inspector", PasswordHasher.hash("portal-password".toCharArray()), Set.of("inspector"), null, Set.of());
        BrokerConfig d = BrokerConfig.withDefaults();
        BrokerConfig cfg = d.withDataDir(dir.resolve("data")).withSsh(new BrokerConfig.Ssh("127.0.0.1", 0))
                .withHttp(new BrokerConfig.Http("127.0.0.1", 0, certFile.toString(), keyFile.toString()))
                .withIdentity(new BrokerConfig.Identity("local", d.identity().tokenTtl(), List.of(account)));
        try (Broker broker = Broker.start(cfg, MutableClock.atSystemNow())) {
            String base = "https://127.0.0.1:" + broker.httpPort();
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER).build();

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/portal/login")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.headers().firstValue("Strict-Transport-Security")).isPresent();
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");

            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/portal/login")).header("Origin", base)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=inspector&password=portal-password")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(303);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith("__Host-sallyport=").contains("Secure", "SameSite=Strict", "Path=/").containsIgnoringCase("HttpOnly")
                    .doesNotContainIgnoringCase("Domain=");
        }
    }

    private static String pem(Object o) throws java.io.IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }
}

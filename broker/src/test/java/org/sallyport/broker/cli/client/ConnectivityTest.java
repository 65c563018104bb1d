package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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

/** Reaching the broker: refused connections, a private CA with --ca, and unusable CA files. */
class ConnectivityTest {
    @TempDir
    Path tmp;

    @Test
    void unreachableBrokerExitsOneNamingTheUrl() throws Exception {
        String url;
        try (ServerSocket s = new ServerSocket(0)) {
            url = "http://127.0.0.1:" + s.getLocalPort();
        }

        Cli.Result r = new Cli(tmp).stdin("pw\n").run("login", "--url", url, "--user", "alice", "--password-stdin");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot reach broker at " + url + ": ").doesNotContain("\tat ").endsWith(": connection refused\n");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void privateCaIsTrustedWithCaAndRememberedAtLogin() throws Exception {
        Path ca = tmp.resolve("ca.pem");
        try (FakeBroker broker = FakeBroker.startTls(serverContext(ca))) {
            broker.json("POST", "/api/auth/login", 200, Samples.LOGIN).json("GET", "/api/grants", 200, "[]");
            Cli cli = new Cli(tmp);

            Cli.Result withoutCa = cli.stdin("pw\n").run("login", "--url", broker.url(), "-u", "alice", "--password-stdin");
            assertThat(withoutCa.exit()).isEqualTo(1);
            assertThat(withoutCa.err()).startsWith("error: TLS with broker at " + broker.url()).contains("--ca FILE");

            Cli.Result login = cli.stdin("pw\n").run("login", "--url", broker.url(), "-u", "alice", "--password-stdin",
                    "--ca", ca.toString());
            assertThat(login.exit()).as(login.toString()).isZero();

            Cli.Result grants = cli.run("grants");
            assertThat(grants.exit()).as(grants.toString()).isZero();
            assertThat(grants.out()).startsWith("ID");
            assertThat(cli.cliHome().session().orElseThrow().caFile()).isEqualTo(ca.toAbsolutePath().toString());
        }
    }

    @Test
    void unusableCaFileExitsTwo() throws Exception {
        Path bogus = Files.writeString(tmp.resolve("bogus.pem"), "not a certificate");

        Cli.Result r = new Cli(tmp).stdin("pw\n").run("login", "--url", "https://127.0.0.1:1", "-u", "alice",
                "--password-stdin", "--ca", bogus.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --ca: ");
    }

    @Test
    void malformedUrlExitsTwo() {
        Cli.Result r = new Cli(tmp).stdin("pw\n").run("login", "--url", "broker.example", "-u", "alice", "--password-stdin");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --url: ");
    }

    /** A self-signed certificate for 127.0.0.1, written to {@code caPem}; the server context presents it. */
    private static SSLContext serverContext(Path caPem) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=sallyport-cli-test"), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                new X500Name("CN=sallyport-cli-test"), kp.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(cert);
        }
        Files.writeString(caPem, pem.toString());

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", kp.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}

package org.sallyport.recorder.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM framing via Bouncy Castle's util.io.pem; DER structures come from the ASN.1 classes, never by hand. */
final class Pem {
    /** id-Ed25519, RFC 8410 section 3. Declared here because BC's public constant lives in bcutil. */
    static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

    private Pem() {}

    static String write(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // StringWriter does not fail
        }
        return out.toString();
    }

    /** Returns the DER body of the first PEM block, which must be of {@code type}. */
    static byte[] read(String pem, String type) {
        if (pem == null || pem.isBlank()) throw new KeyFormatException("expected a PEM \"" + type + "\" block but the text is empty");
        PemObject o;
        try (PemReader r = new PemReader(new StringReader(pem))) {
            o = r.readPemObject();
        } catch (IOException | RuntimeException e) {
            // BC throws IOException for a missing END line and DecoderException for bad base64.
            throw new KeyFormatException("malformed PEM \"" + type + "\" block: " + e.getMessage(), e);
        }
        if (o == null) throw new KeyFormatException("no PEM block found (expected \"-----BEGIN " + type + "-----\")");
        if (!type.equals(o.getType())) {
            throw new KeyFormatException("PEM block is \"" + o.getType() + "\" but \"" + type + "\" is expected");
        }
        if (o.getContent().length == 0) throw new KeyFormatException("PEM \"" + type + "\" block is empty");
        return o.getContent();
    }
}

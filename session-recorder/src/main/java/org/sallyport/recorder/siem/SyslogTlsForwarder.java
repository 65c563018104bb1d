package org.sallyport.recorder.siem;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.sallyport.recorder.audit.AuditEvent;

/**
 * Sends audit events as RFC 5424 syslog over TCP with TLS (RFC 5425): TLS 1.2 or 1.3 only, the server certificate
 * verified against the given {@link SSLContext}'s trust and its host name checked (HTTPS endpoint identification),
 * octet-counted framing. Reconnects once per event after a broken connection; a second failure is thrown, so the caller
 * can stop and resume from the last sequence number it saw sent ({@link #lastSent()}): nothing is dropped silently.
 *
 * <p>Not thread-safe: one sender.
 */
public final class SyslogTlsForwarder implements AutoCloseable {
    private final String host;
    private final int port;
    private final SSLContext tls;
    private final String hostname;
    private final String appName;
    private SSLSocket socket;
    private OutputStream out;
    private long lastSent;

    /**
     * @param tls      trust for the SIEM's certificate (and a client key if it requires one)
     * @param hostname HOSTNAME field of each message (this broker)
     */
    public SyslogTlsForwarder(String host, int port, SSLContext tls, String hostname, String appName) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.tls = Objects.requireNonNull(tls, "tls");
        this.hostname = hostname;
        this.appName = appName;
    }

    public void send(AuditEvent e) throws IOException {
        byte[] frame = Syslog.frame(Syslog.message(e, hostname, appName));
        try {
            write(frame);
        } catch (IOException first) {
            closeQuietly();
            write(frame);
        }
        lastSent = e.seq();
    }

    private void write(byte[] frame) throws IOException {
        if (socket == null) connect();
        out.write(frame);
        out.flush(); // one TLS record per event: a broken connection shows on this event, not several later
    }

    /** Sends every event, in order; returns how many. */
    public long sendAll(Iterator<AuditEvent> events) throws IOException {
        long n = 0;
        while (events.hasNext()) {
            send(events.next());
            n++;
        }
        flush();
        return n;
    }

    public void flush() throws IOException {
        if (out != null) out.flush();
    }

    /** Sequence number of the last event handed to TLS (0 if none). */
    public long lastSent() {
        return lastSent;
    }

    private void connect() throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
        try {
            s.connect(new java.net.InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(30_000); // a SIEM that stops answering the handshake must not hang the forwarder
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) p.setServerNames(java.util.List.of(new SNIHostName(host)));
            s.setSSLParameters(p);
            s.startHandshake();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
    }

    private void closeQuietly() {
        try {
            if (socket != null) socket.close();
        } catch (IOException ignored) {
            // reconnecting anyway
        }
        socket = null;
        out = null;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            closeQuietly();
        }
    }
}

package org.sallyport.broker.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A vendor technician's machine: an ed25519 key made with the real ssh-keygen, a certificate from the
 * broker's API, a known_hosts pinning the broker, and the stock OpenSSH client to connect.
 */
public final class VendorSsh {
    private final TestBroker broker;
    private final String user;
    private final Path key;
    private final Path knownHosts;

    public VendorSsh(TestBroker broker, String user, Path dir) {
        this.broker = broker;
        this.user = user;
        this.key = dir.resolve(user + "-id");
        this.knownHosts = dir.resolve(user + "-known_hosts");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", user, "-f", key.toString()));
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/ssh")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /** Asks the broker for a certificate; returns the response (status, body). */
    public TestBroker.Response certify() throws IOException {
        String pub = Files.readString(Path.of(key + ".pub")).strip();
        TestBroker.Response r = broker.post(user, "/api/ssh/certificate", "{\"publicKey\":\"" + pub + "\"}");
        if (r.status() == 200) {
            Files.writeString(Path.of(key + "-cert.pub"), r.json().get("certificate").asText() + "\n");
            Files.writeString(knownHosts, "[127.0.0.1]:" + r.json().get("sshPort").asInt() + " " + r.json().get("hostKey").asText() + "\n");
        }
        return r;
    }

    public List<String> command(String target, boolean tty, String... remote) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh", "-p", Integer.toString(broker.broker().sshPort()),
                "-i", key.toString(), "-o", "CertificateFile=" + key + "-cert.pub", "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-F", "/dev/null"));
        cmd.add(tty ? "-tt" : "-T");
        cmd.add(user + "+" + target + "@127.0.0.1");
        cmd.addAll(List.of(remote));
        return cmd;
    }

    public record Result(int exit, byte[] out, String err) {
        public String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    /** Runs one command through the broker and waits for it (at most 60 s). */
    public Result exec(String target, String... remote) {
        return run(command(target, false, remote));
    }

    public Process start(String target, boolean tty, String... remote) throws IOException {
        return new ProcessBuilder(command(target, tty, remote)).start();
    }

    private static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread t1 = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
            Thread t2 = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            t1.join();
            t2.join();
            return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static void copy(InputStream in, OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // process ended
        }
    }
}

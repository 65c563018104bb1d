package org.sallyport.broker.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.broker.testing.VendorSsh;
import org.sallyport.fixtures.sshd.OpenSshServer;

/**
 * Side-by-side figures for the same device (a real OpenSSH sshd on loopback), the same client (stock
 * ssh) and the same cipher (aes128-gcm) on every leg: (a) direct, (b) through an OpenSSH ProxyJump
 * bastion, (c) through Sallyport with recording on. Prints MB/s, latencies and the ratios c/b.
 *
 * <p>Run: {@code ./sallyport bench} (or {@code -Dbench.mb=2048 -Dbench.echo=1000 -Dbench.sessions=200}).
 * A harness that prints figures, not a test: nothing here asserts a speed.
 */
public final class GatewayBenchmark {
    private static final String CIPHER = "aes128-gcm@openssh.com";
    private static final String TARGET = "bench-sshd";

    private final Path dir;
    private final Path sshConfig;
    private final long bastionPid;

    private GatewayBenchmark(Path dir, Path sshConfig, long bastionPid) {
        this.dir = dir;
        this.sshConfig = sshConfig;
        this.bastionPid = bastionPid;
    }

    public static void main(String[] args) throws Exception {
        long mb = Long.getLong("bench.mb", 2048);
        int echoes = Integer.getInteger("bench.echo", 1000);
        int connects = Integer.getInteger("bench.connects", 20);
        int ttyMb = Integer.getInteger("bench.ttymb", 200);
        int sessions = Integer.getInteger("bench.sessions", 200);
        int slowSeconds = Integer.getInteger("bench.slowSeconds", 30);
        Path dir = Files.createTempDirectory("sallyport-bench-");
        try (OpenSshServer device = new OpenSshServer(); OpenSshServer bastion = new OpenSshServer()) {
            int devicePort = device.start();
            int bastionPort = bastion.start();
            String key = Files.readString(device.clientKeyPath());
            TargetConfig t = new TargetConfig(TARGET, "anzalduas", "plate-reader", "127.0.0.1", devicePort, null, device.hostKeyOpenSsh(),
                    device.user(), TARGET + "/key", List.of("acme-optics"), List.of(), null);
            try (TestBroker b = new TestBroker(dir.resolve("broker"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/key", key))
                    .guardRules(GatewayBenchmark::benchGuardRules).start()) {
                VendorSsh tech = new VendorSsh(b, "tech", dir);
                tech.certify();
                String id = b.request("tech", TARGET, "2h"); // within the default policy's limits
                b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"benchmark\"}");
                Path config = writeConfig(dir, device, bastion, b.broker().sshPort(), dir.resolve("tech-id"), tech);
                GatewayBenchmark bench = new GatewayBenchmark(dir, config, bastion.pid());
                bench.run(mb, echoes, connects, ttyMb);
                bench.memory(sessions);
                bench.slowReader(slowSeconds);
            }
        }
    }

    private static Path writeConfig(Path dir, OpenSshServer device, OpenSshServer bastion, int brokerPort, Path vendorKey, VendorSsh tech)
            throws IOException {
        Path kh = dir.resolve("bench_known_hosts");
        Files.writeString(kh, device.knownHostsLine() + "\n" + bastion.knownHostsLine() + "\n"
                + Files.readString(dir.resolve("tech-known_hosts")));
        String common = "  HostName 127.0.0.1\n  UserKnownHostsFile " + kh + "\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n"
                + "  BatchMode yes\n  IdentitiesOnly yes\n  Ciphers " + CIPHER + "\n  LogLevel ERROR\n";
        String cfg = "Host bastion\n  Port " + bastion.port() + "\n  User " + bastion.user() + "\n  IdentityFile " + bastion.clientKeyPath() + "\n" + common
                + "Host direct\n  Port " + device.port() + "\n  User " + device.user() + "\n  IdentityFile " + device.clientKeyPath() + "\n" + common
                + "Host jump\n  Port " + device.port() + "\n  User " + device.user() + "\n  IdentityFile " + device.clientKeyPath() + "\n"
                + "  ProxyJump bastion\n" + common
                + "Host sallyport\n  Port " + brokerPort + "\n  User tech+" + TARGET + "\n  IdentityFile " + vendorKey + "\n  CertificateFile "
                + vendorKey + "-cert.pub\n" + common;
        Path file = dir.resolve("bench_ssh_config");
        Files.writeString(file, cfg);
        return file;
    }

    private void run(long mb, int echoes, int connects, int ttyMb) throws Exception {
        String[] legs = {"direct", "jump", "sallyport"};
        System.out.printf(Locale.ROOT, "%nSallyport gateway benchmark: %d MB each way, cipher %s, %d echo round trips, %d connects%n",
                mb, CIPHER, echoes, connects);
        System.out.printf(Locale.ROOT, "%-10s %10s %10s %10s %10s %12s %12s%n", "leg", "down MB/s", "up MB/s", "echo p50", "echo p99",
                "connect p50", "tty MB/s");
        // Warm-up, the same for every leg and not measured: a broker runs for weeks, so its JIT-compiled
        // steady state is what a vendor meets, not the first seconds of a fresh JVM (JFR showed C2
        // compiling for up to 0.6 s per second during an unwarmed Sallyport leg).
        long warm = Long.getLong("bench.warmupMb", 256);
        for (String leg : legs) {
            if (warm <= 0) break;
            try {
                down(leg, warm);
                up(leg, warm);
                echo(leg, 200);
            } catch (IllegalStateException e) {
                System.out.printf(Locale.ROOT, "%-10s refused or failed during warm-up: %s%n", leg, e.getMessage());
                return;
            }
        }
        double[][] r = new double[3][6];
        for (int i = 0; i < legs.length; i++) {
            try {
                r[i][0] = down(legs[i], mb);
            } catch (IllegalStateException e) {
                System.out.printf(Locale.ROOT, "%-10s refused or failed: %s%n", legs[i], e.getMessage());
                return;
            }
            r[i][1] = up(legs[i], mb);
            double[] e = echo(legs[i], echoes);
            r[i][2] = e[0];
            r[i][3] = e[1];
            r[i][4] = connect(legs[i], connects);
            r[i][5] = tty(legs[i], ttyMb);
            System.out.printf(Locale.ROOT, "%-10s %10.1f %10.1f %8.0fus %8.0fus %10.1fms %12.1f%n", legs[i], r[i][0], r[i][1], r[i][2], r[i][3],
                    r[i][4], r[i][5]);
        }
        System.out.printf(Locale.ROOT, "ratios sallyport/jump: down %.2f, up %.2f, echo p99 %.2f (lower is better), connect %.2f (lower is better), "
                + "tty %.2f%n", r[2][0] / r[1][0], r[2][1] / r[1][1], r[2][3] / r[1][3], r[2][4] / r[1][4], r[2][5] / r[1][5]);
    }

    /**
     * The default detectors stay on (their cost is part of the gateway's), but the volume caps and the
     * command-line rules would (rightly) stop a bulk transfer or {@code | base64}; a benchmark measures them off.
     */
    static org.sallyport.policy.guard.GuardRules benchGuardRules() {
        var d = org.sallyport.policy.guard.GuardRules.defaults();
        return new org.sallyport.policy.guard.GuardRules(d.channels(), List.of(),
                new org.sallyport.policy.guard.OutputRules(d.output().detectors(), d.output().tuning(), List.of()));
    }

    private List<String> ssh(String host, boolean tty, String command) {
        return new ArrayList<>(List.of("/usr/bin/ssh", "-F", sshConfig.toString(), tty ? "-tt" : "-T", host, command));
    }

    private double down(String host, long mb) throws Exception {
        long bytes = mb << 20;
        Process p = new ProcessBuilder(ssh(host, false, "head -c " + bytes + " /dev/zero")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        long t0 = System.nanoTime();
        long n = drain(p.getInputStream());
        finish(p, host + " down");
        if (n != bytes) throw new IllegalStateException(host + ": received " + n + " of " + bytes + " bytes");
        return mbPerS(bytes, System.nanoTime() - t0);
    }

    private double up(String host, long mb) throws Exception {
        long bytes = mb << 20;
        Process p = new ProcessBuilder(ssh(host, false, "wc -c")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long t0 = System.nanoTime();
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = p.getOutputStream()) {
            for (long sent = 0; sent < bytes; sent += buf.length) out.write(buf, 0, (int) Math.min(buf.length, bytes - sent));
        }
        String counted = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        finish(p, host + " up");
        if (!counted.equals(Long.toString(bytes))) throw new IllegalStateException(host + ": device counted " + counted + " of " + bytes);
        return mbPerS(bytes, System.nanoTime() - t0);
    }

    /** One-byte round trips through a raw PTY running cat: p50 and p99 in microseconds. */
    private double[] echo(String host, int n) throws Exception {
        Process p = new ProcessBuilder(ssh(host, true, "stty raw -echo; echo ready; exec cat")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        InputStream in = p.getInputStream();
        OutputStream out = p.getOutputStream();
        StringBuilder banner = new StringBuilder();
        while (!banner.toString().contains("ready")) {
            int c = in.read();
            if (c < 0) throw new IllegalStateException(host + ": echo session ended early: " + banner);
            banner.append((char) c);
        }
        while (in.available() > 0) in.read();
        long[] rtt = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            out.write('x');
            out.flush();
            if (in.read() < 0) throw new IllegalStateException(host + ": echo ended");
            rtt[i] = System.nanoTime() - t0;
        }
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
        Arrays.sort(rtt);
        return new double[] {rtt[n / 2] / 1e3, rtt[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e3};
    }

    /** New connection + one command, p50 in milliseconds. */
    private double connect(String host, int n) throws Exception {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(ssh(host, false, "true")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            drain(p.getInputStream());
            finish(p, host + " connect");
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return t[n / 2] / 1e6;
    }

    /** The interactive case: base64 text printed through a PTY. */
    private double tty(String host, int mb) throws Exception {
        long raw = ((long) mb << 20) * 3 / 4;
        Process p = new ProcessBuilder(ssh(host, true, "head -c " + raw + " /dev/zero | base64")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long t0 = System.nanoTime();
        long n = drain(p.getInputStream());
        finish(p, host + " tty");
        return mbPerS(n, System.nanoTime() - t0);
    }

    /**
     * Memory per idle session with {@code n} sessions open: the broker (this JVM: PSS and live heap after GC) against
     * the bastion (PSS of the bastion sshd's per-connection processes). Sessions open one after the other, each
     * confirmed by its first output line, so neither sshd's MaxStartups throttles them.
     */
    void memory(int n) throws Exception {
        if (n <= 0) return;
        System.out.printf(Locale.ROOT, "%nIdle sessions: %d per leg%n", n);
        // The launcher runs this JVM with a fixed, pre-touched heap (-Xms = -Xmx, AlwaysPreTouch), so the
        // process's PSS does not move with heap sizing: its growth is native memory (thread stacks, buffers),
        // and the live-heap growth after a full GC is added to it.
        long heap0 = liveHeap();
        long pss0 = pss(ProcessHandle.current().pid());
        List<Process> open = openIdle("sallyport", n);
        long heap1 = liveHeap();
        long pss1 = pss(ProcessHandle.current().pid());
        close(open);
        long b0 = bastionPss();
        open = openIdle("jump", n);
        long b1 = bastionPss();
        close(open);
        double nativeKib = (pss1 - pss0) / (double) n;
        double heapKib = (heap1 - heap0) / 1024.0 / n;
        double broker = nativeKib + heapKib;
        double bastion = (b1 - b0) / (double) n;
        System.out.printf(Locale.ROOT, "sallyport  %8.1f KiB per session (native %.1f KiB PSS + live heap %.1f KiB)%n", broker,
                nativeKib, heapKib);
        System.out.printf(Locale.ROOT, "jump       %8.1f KiB PSS per session (bastion sshd processes)%n", bastion);
        System.out.printf(Locale.ROOT, "ratio sallyport/jump memory per session: %.2f (lower is better)%n", broker / bastion);
    }

    private List<Process> openIdle(String host, int n) throws Exception {
        List<Process> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Process p = new ProcessBuilder(ssh(host, false, "echo up; exec sleep 3600")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            open.add(p);
            byte[] up = p.getInputStream().readNBytes(3);
            if (!new String(up, StandardCharsets.US_ASCII).equals("up\n")) {
                close(open);
                throw new IllegalStateException(host + ": idle session " + i + " did not start");
            }
        }
        return open;
    }

    private static void close(List<Process> open) throws InterruptedException {
        for (Process p : open) p.destroy();
        for (Process p : open) p.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * The slow reader: the device sends as fast as it can while the vendor reads at 1 MB/s for {@code seconds}.
     * Backpressure must hold the broker's memory to a few channel windows; prints the largest growth seen.
     */
    void slowReader(int seconds) throws Exception {
        if (seconds <= 0) return;
        System.out.printf(Locale.ROOT, "%nSlow reader: device sends without limit, vendor reads 1 MB/s for %d s%n", seconds);
        long self = ProcessHandle.current().pid();
        long[] broker = slow("sallyport", seconds, () -> pss(self) + liveHeap() / 1024);
        long[] jump = slow("jump", seconds, this::bastionPss);
        System.out.printf(Locale.ROOT, "sallyport  read %d MB, memory growth max %.1f MiB (native PSS + live heap)%n", broker[0] >> 20, broker[1] / 1024.0);
        System.out.printf(Locale.ROOT, "jump       read %d MB, memory growth max %.1f MiB (bastion sshd PSS)%n", jump[0] >> 20, jump[1] / 1024.0);
    }

    private long[] slow(String host, int seconds, java.util.function.LongSupplier memoryKib) throws Exception {
        long base = memoryKib.getAsLong();
        long max = 0;
        Process p = new ProcessBuilder(ssh(host, false, "head -c 2147483648 /dev/zero")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        InputStream in = p.getInputStream();
        byte[] buf = new byte[64 * 1024];
        long read = 0;
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
        long nextSample = t0;
        while (System.nanoTime() < deadline) {
            int n = in.read(buf, 0, Math.min(buf.length, 16 * 1024));
            if (n < 0) break;
            read += n;
            long due = t0 + read * 1_000_000_000L / 1_000_000; // 1 MB/s
            long wait = due - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            if (System.nanoTime() >= nextSample) {
                max = Math.max(max, memoryKib.getAsLong() - base);
                nextSample += TimeUnit.SECONDS.toNanos(1);
            }
        }
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return new long[] {read, max};
    }

    private long bastionPss() {
        return ProcessHandle.of(bastionPid).map(h -> h.descendants().mapToLong(d -> pss(d.pid())).sum()).orElse(0L);
    }

    /** Proportional set size of a process in KiB (Linux /proc), 0 if it is gone. */
    private static long pss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        int r;
        while ((r = in.read(buf)) >= 0) n += r;
        return n;
    }

    private static void finish(Process p, String what) throws InterruptedException {
        if (!p.waitFor(Duration.ofMinutes(10).toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(what + ": timed out");
        }
    }

    private static double mbPerS(long bytes, long nanos) {
        return bytes / 1048576.0 / (nanos / 1e9);
    }
}

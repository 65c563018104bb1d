package org.sallyport.broker.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.httpproxy.HttpProxyHandler;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.fixtures.camera.SimulatedCamera;
import org.sallyport.fixtures.nginx.NginxServer;

/**
 * Side by side, in one run, against the same origin (Debian's nginx serving a camera-like tree behind basic auth):
 * (a) nginx as a plain reverse proxy that adds the credential, (b) Sallyport's HTTP proxy with inspection
 * (HttpGuard + byte detectors on every body) and recording (encrypted, chained) on. Load from wrk (Debian): requests/s,
 * MB/s and p99 latency for a 1 KB page and a 64 KiB text body, and the ratios Sallyport/nginx.
 *
 * <p>Run: {@code ./sallyport bench-http} (options {@code -Dbench.duration=10s -Dbench.connections=32 -Dbench.threads=2
 * -Dbench.paths=/bench/1k.html,/bench/64k.bin}).
 * A harness that prints figures, not a test: nothing here asserts a speed.
 */
public final class HttpProxyBenchmark {
    private static final String TARGET = "bench-nginx";

    record Result(double rps, double mbps, double p50ms, double p99ms) {}

    public static void main(String[] args) throws Exception {
        String duration = System.getProperty("bench.duration", "10s");
        String conns = System.getProperty("bench.connections", "32");
        String threads = System.getProperty("bench.threads", "2");
        System.setProperty("sallyport.http.sessionCapBytes", Long.toString(Long.MAX_VALUE / 2)); // a benchmark moves gigabytes
        if (!NginxServer.available() || !Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            System.err.println("needs nginx and wrk: apt-get install -y nginx wrk");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("sallyport-http-bench-");
        SimulatedCamera cam = SimulatedCamera.builder().id("img").port(0).hostKeyFile(dir.resolve("hk")).credentials("x", "y").build();
        String password = "bench-Pw-" + Long.toHexString(System.nanoTime());
        try (NginxServer nginx = new NginxServer("admin", password, cam.file(cam.images().get(0))).start()) {
            TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", null, nginx.cameraPort(), null, "admin",
                    TARGET + "/admin", List.of("acme-optics"), List.of(), null);
            try (TestBroker b = new TestBroker(dir.resolve("broker"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/admin", password))
                    .start()) {
                String id = b.request("tech", TARGET, "8h");
                b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"bench\"}");
                String ticket = b.post("tech", "/api/http-sessions", "{\"target\":\"" + TARGET + "\"}").json().get("ticket").asText();
                String basic = "Authorization: Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
                String nginxUrl = "http://127.0.0.1:" + nginx.reverseProxyPort();
                String spUrl = b.url();
                String ticketHeader = HttpProxyHandler.TICKET_HEADER + ": " + ticket;
                System.out.printf("HTTP proxy benchmark: wrk -t%s -c%s -d%s --latency, origin nginx (basic auth) on loopback, %d cores%n",
                        threads, conns, duration, Runtime.getRuntime().availableProcessors());
                System.out.printf("%-10s %-22s %10s %9s %9s %9s%n", "body", "path", "req/s", "MB/s", "p50 ms", "p99 ms");
                List<String> lines = new ArrayList<>();
                for (String path : System.getProperty("bench.paths", "/bench/1k.html,/bench/64k.bin").split(",")) {
                    wrk(threads, conns, "2s", nginxUrl + path, null); // warm up both
                    wrk(threads, conns, "2s", spUrl + path, ticketHeader);
                    Result direct = wrk(threads, conns, duration, "http://127.0.0.1:" + nginx.cameraPort() + path, basic);
                    Result ng = wrk(threads, conns, duration, nginxUrl + path, null);
                    Result sp = wrk(threads, conns, duration, spUrl + path, ticketHeader);
                    print(path, "origin direct", direct);
                    print(path, "nginx reverse proxy", ng);
                    print(path, "Sallyport (rec+insp)", sp);
                    lines.add(String.format("%-16s Sallyport/nginx: req/s %.2fx, MB/s %.2fx, p99 %.2fx (goal: >= 0.8x req/s at p99 <= 2x)",
                            path, sp.rps / ng.rps, sp.mbps / ng.mbps, sp.p99ms / ng.p99ms));
                }
                lines.forEach(System.out::println);
                long recorded = Files.list(dir.resolve("broker/recordings")).mapToLong(p -> p.toFile().length()).sum();
                System.out.printf("recording written during the run: %.1f MB%n", recorded / 1e6);
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(String path, String leg, Result r) {
        System.out.printf("%-10s %-22s %10.0f %9.1f %9.2f %9.2f%n", path.substring(path.lastIndexOf('/') + 1), leg, r.rps, r.mbps, r.p50ms, r.p99ms);
    }

    static Result wrk(String threads, String conns, String duration, String url, String header) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/wrk", "-t" + threads, "-c" + conns, "-d" + duration, "--latency"));
        if (header != null) {
            cmd.add("-H");
            cmd.add(header);
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        if (out.contains("Non-2xx")) throw new IllegalStateException("wrk saw errors for " + url + ":\n" + out);
        return new Result(number(out, "Requests/sec:\\s+([\\d.]+)"), transfer(out), latency(out, "50%"), latency(out, "99%"));
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) throw new IllegalStateException("unexpected wrk output:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    private static double transfer(String out) {
        Matcher m = Pattern.compile("Transfer/sec:\\s+([\\d.]+)([KMG]?B)").matcher(out);
        if (!m.find()) throw new IllegalStateException("unexpected wrk output:\n" + out);
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "KB" -> v / 1024;
            case "GB" -> v * 1024;
            case "B" -> v / 1024 / 1024;
            default -> v;
        };
    }

    private static double latency(String out, String pct) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(pct) + "\\s+([\\d.]+)(us|ms|s)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no " + pct + " latency in wrk output:\n" + out);
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}

package org.sallyport.broker.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.config.ConfigLoader;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.credentials.CredentialVault;
import org.sallyport.broker.identity.PasswordHasher;
import org.sallyport.broker.server.Broker;
import org.sallyport.fixtures.camera.CameraWebUi;
import org.sallyport.fixtures.camera.SimulatedCamera;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sallyport demo}: a whole site on one machine with embedded defaults: H2 under the data folder,
 * the fixed demo accounts, and one simulated camera ({@code cam-anz-01}) whose credential only the
 * broker knows. Plain HTTP on loopback only.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a demo broker with embedded defaults: demo accounts, one simulated camera, H2 database.",
                "All demo accounts share one password: SALLYPORT_DEMO_PASSWORD, else a random one printed at start."})
final class DemoCommand implements Callable<Integer> {
    static final String CAMERA_ID = "cam-anz-01";
    static final String SITE = "anzalduas";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "sallyport-demo", description = "data folder (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8080", description = "HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--ssh-port", paramLabel = "N", defaultValue = "2222", description = "SSH gateway port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int sshPort;

    @Option(names = "--targets", paramLabel = "FILE", description = "YAML list of extra targets (same format as serve's targets)")
    Path targetsFile;

    @Override
    public Integer call() throws Exception {
        String password = System.getenv("SALLYPORT_DEMO_PASSWORD");
        boolean generated = password == null || password.isBlank();
        if (generated) password = randomPassword();
        if (password.length() < 8) {
            spec.commandLine().getErr().println("error: SALLYPORT_DEMO_PASSWORD: at least 8 characters");
            return ExitCodes.USAGE;
        }
        Demo demo = start(data, httpPort, sshPort, targetsFile, password);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.web().close();
            demo.camera().close();
        }, "demo-camera-shutdown"));
        var out = spec.commandLine().getOut();
        String url = demo.url();
        out.println();
        out.println("Sallyport demo is running (plain HTTP on loopback only; use 'serve' with TLS for anything else).");
        out.println("  Portal:     " + url + "/portal/   (sign in as supervisor to approve in the browser)");
        out.println("  API:        " + url + "/api   (OpenAPI: " + url + "/api/openapi.yaml)");
        out.println("  Health:     " + url + "/health/ready   Metrics: " + url + "/metrics");
        out.println("  Data:       " + data.toAbsolutePath());
        out.println("  Camera:     " + CAMERA_ID + " (site " + SITE + ", simulated, ssh on 127.0.0.1:" + demo.camera().port()
                + ", web UI on 127.0.0.1:" + demo.web().port() + " (digest), credential held by the broker only)");
        out.println("  Accounts:   tech, tech2 (vendor technicians: acme-optics, borealis-systems), supervisor, supervisor2 ("
                + SITE + "), inspector, admin");
        out.println("  Password:   " + (generated ? password + "   (random; set SALLYPORT_DEMO_PASSWORD to choose one)"
                : "from SALLYPORT_DEMO_PASSWORD"));
        out.println();
        out.println("Try:  ./sallyport login --url " + url + " --user tech");
        out.println("      ./sallyport request --target " + CAMERA_ID + " --duration 45m --reason 'focus drift' --ticket INC-1");
        out.println("      (a supervisor approves it at " + url + "/portal/queue, or: ./sallyport approve ID --comment ...)");
        out.println("      ./sallyport connect " + CAMERA_ID + " -- status        # SSH gateway on 127.0.0.1:" + demo.broker().sshPort());
        out.println("      ./sallyport connect " + CAMERA_ID + " --http --port 8081   # then open http://127.0.0.1:8081/ in a browser");
        out.println("      ./sallyport recording verify " + data.resolve("recordings") + "/<id>.sprec");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        return ServeCommand.runUntilStopped(demo.broker());
    }

    /** A running demo: the broker and its simulated camera. */
    record Demo(Broker broker, SimulatedCamera camera, CameraWebUi web) implements AutoCloseable {
        String url() {
            return "http://127.0.0.1:" + broker.httpPort();
        }

        @Override
        public void close() {
            broker.close();
            web.close();
            camera.close();
        }
    }

    /** Starts the simulated camera and a broker that knows it; the camera's password goes only into the vault. */
    static Demo start(Path data, int httpPort, int sshPort, Path targetsFile, String password) {
        CredentialVault vault = Broker.openVault(data);
        String cameraCredential = CAMERA_ID + "/maint";
        char[] cameraSecret = vault.get(cameraCredential).orElse(null);
        if (cameraSecret == null) {
            cameraSecret = randomPassword().toCharArray();
            vault.put(cameraCredential, cameraSecret);
        }
        SimulatedCamera camera = SimulatedCamera.builder().id(CAMERA_ID).port(0)
                .hostKeyFile(data.resolve("camera/" + CAMERA_ID + "-hostkey"))
                .credentials("maint", new String(cameraSecret))
                .build();
        java.util.Arrays.fill(cameraSecret, '\0');
        CameraWebUi web = new CameraWebUi(camera, CameraWebUi.Auth.DIGEST);
        try {
            int cameraPort = camera.start();
            int webPort = web.start(0);
            List<TargetConfig> targets = new ArrayList<>();
            targets.add(new TargetConfig(CAMERA_ID, SITE, "ip-camera", "127.0.0.1", cameraPort, webPort, camera.hostKeyOpenSsh(),
                    "maint", cameraCredential, List.of("acme-optics"), List.of("simulated", "face-capture"), 1));
            if (targetsFile != null) targets.addAll(ConfigLoader.loadTargets(targetsFile));
            BrokerConfig defaults = BrokerConfig.withDefaults();
            BrokerConfig cfg = defaults.withDataDir(data)
                    .withHttp(new BrokerConfig.Http("127.0.0.1", httpPort, null, null))
                    .withSsh(new BrokerConfig.Ssh("127.0.0.1", sshPort))
                    .withIdentity(new BrokerConfig.Identity("local", defaults.identity().tokenTtl(), accounts(password)))
                    .withTargets(targets);
            ConfigLoader.validate(cfg, "demo");
            return new Demo(Broker.start(cfg, Clock.systemUTC()), camera, web);
        } catch (RuntimeException e) {
            web.close();
            camera.close();
            throw e;
        }
    }

    static List<BrokerConfig.LocalAccount> accounts(String password) {
        String hash = PasswordHasher.hash(password.toCharArray());
        return List.of(
                new BrokerConfig.LocalAccount("tech", hash, Set.of("vendor-technician"), "acme-optics", Set.of()),
                new BrokerConfig.LocalAccount("tech2", hash, Set.of("vendor-technician"), "borealis-systems", Set.of()),
                new BrokerConfig.LocalAccount("supervisor", hash, Set.of("supervisor"), null, Set.of(SITE)),
                new BrokerConfig.LocalAccount("supervisor2", hash, Set.of("supervisor"), null, Set.of(SITE)),
                new BrokerConfig.LocalAccount("inspector", hash, Set.of("inspector"), null, Set.of()),
                new BrokerConfig.LocalAccount("admin", hash, Set.of("admin"), null, Set.of()));
    }

    private static String randomPassword() {
        String alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return sb.toString();
    }
}

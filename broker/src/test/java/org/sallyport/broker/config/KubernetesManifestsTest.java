package org.sallyport.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

/**
 * The Kubernetes manifests under {@code k8s/} must describe a broker that actually starts: the config they
 * ship loads with the broker's own loader, ports, volumes, probes and network policy agree with it, and
 * every file a kustomization names exists. Catches the drift that otherwise shows up as a crash-looping pod.
 */
class KubernetesManifestsTest {
    private static final Path K8S = Path.of("..", "k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Map<String, JsonNode> base;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readBase() throws IOException {
        base = new HashMap<>();
        for (JsonNode doc : documents(K8S.resolve("base"))) base.put(doc.path("kind").asText(), doc);
    }

    private static List<JsonNode> documents(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser p = new YAMLFactory().createParser(f.toFile())) {
                    for (var it = YAML.readValues(p, JsonNode.class); it.hasNext(); ) {
                        JsonNode n = it.next();
                        if (n != null && n.has("kind")) out.add(n);
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode container() {
        return base.get("Deployment").at("/spec/template/spec/containers/0");
    }

    @Test
    void everyFileAKustomizationNamesExists() throws IOException {
        List<Path> kustomizations;
        try (Stream<Path> s = Files.walk(K8S)) {
            kustomizations = s.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        assertThat(kustomizations).hasSizeGreaterThanOrEqualTo(2);
        for (Path k : kustomizations) {
            JsonNode n = YAML.readTree(k.toFile());
            List<String> named = new ArrayList<>();
            n.path("resources").forEach(r -> named.add(r.asText()));
            n.path("patches").forEach(p -> named.add(p.path("path").asText()));
            n.path("configMapGenerator").forEach(g -> g.path("files").forEach(f -> named.add(f.asText())));
            assertThat(named).as(k + " names something").isNotEmpty();
            for (String name : named) {
                assertThat(k.getParent().resolve(name)).as(k + " -> " + name).exists();
            }
        }
    }

    /** The shipped config loads with the environment the Deployment gives it; mounts and ports agree with it. */
    @Test
    void shippedConfigLoadsAndMatchesTheDeployment() throws IOException {
        JsonNode c = container();
        List<String> args = new ArrayList<>();
        c.path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).startsWith("serve", "--config");
        Path configPath = Path.of(args.get(2));
        Map<String, String> mounts = new HashMap<>();
        c.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
        assertThat(configPath.getParent().toString()).isEqualTo(mounts.get("config"));
        JsonNode generator = YAML.readTree(K8S.resolve("base/kustomization.yaml").toFile()).path("configMapGenerator").get(0);
        assertThat(generator.path("files").get(0).asText()).isEqualTo(configPath.getFileName().toString());

        // TLS files live in a Secret at run time; stand in readable files at the same names to load the config.
        ObjectNode tree = (ObjectNode) YAML.readTree(K8S.resolve("base/sallyport.yaml").toFile());
        Path tlsMount = Path.of(tree.at("/http/tls/certFile").asText()).getParent();
        assertThat(tlsMount.toString()).isEqualTo(mounts.get("tls"));
        ObjectNode tls = (ObjectNode) tree.at("/http/tls");
        for (String f : List.of("certFile", "keyFile")) {
            Path stand = tmp.resolve(Path.of(tls.path(f).asText()).getFileName());
            Files.writeString(stand, "stand-in");
            tls.put(f, stand.toString());
        }
        Path cfgFile = tmp.resolve("sallyport.yaml");
        YAML.writeValue(cfgFile.toFile(), tree);

        Map<String, String> env = new HashMap<>();
        c.path("env").forEach(e -> env.put(e.path("name").asText(), "from-" + e.path("valueFrom").path("secretKeyRef").path("key").asText()));
        assertThat(env).containsKeys("SALLYPORT_DATABASE_URL", "SALLYPORT_DATABASE_USER", "SALLYPORT_DATABASE_PASSWORD");
        env.put("SALLYPORT_DATABASE_URL", "jdbc:postgresql://sallyport-db-rw:5432/app");

        BrokerConfig cfg = ConfigLoader.load(cfgFile, env);
        assertThat(cfg.dataDir().toString()).isEqualTo(mounts.get("data"));
        assertThat(cfg.database().url()).startsWith("jdbc:postgresql:");
        assertThat(cfg.http().tls()).as("TLS on: the pod listens beyond loopback").isTrue();

        Map<String, Integer> ports = new HashMap<>();
        c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        assertThat(ports).containsEntry("https", cfg.http().port()).containsEntry("ssh", cfg.ssh().port());

        Set<Integer> allowedIn = new HashSet<>();
        base.get("NetworkPolicy").at("/spec/ingress").forEach(r -> r.path("ports").forEach(p -> allowedIn.add(p.path("port").asInt())));
        assertThat(allowedIn).containsExactlyInAnyOrder(cfg.http().port(), cfg.ssh().port());

        Set<String> targetPorts = new HashSet<>();
        base.get("Service").at("/spec/ports").forEach(p -> targetPorts.add(p.path("targetPort").asText()));
        assertThat(ports.keySet()).containsAll(targetPorts);
    }

    /** The probes the Deployment uses are answered by a running broker (and an unknown path would not be). */
    @Test
    void probePathsAreServedByTheBroker() {
        JsonNode c = container();
        List<String> paths = Stream.of("startupProbe", "livenessProbe", "readinessProbe")
                .map(p -> c.path(p).path("httpGet").path("path").asText()).toList();
        assertThat(paths).doesNotContain("");
        try (TestBroker b = new TestBroker(tmp.resolve("data"), new MutableClock(java.time.Instant.now())).start()) {
            for (String p : paths) assertThat(b.raw("GET", p, null, null, null).status()).as(p).isEqualTo(200);
            assertThat(b.raw("GET", "/health/nope", null, null, null).status()).isNotEqualTo(200);
        }
    }

    @Test
    void podRunsLockedDown() {
        JsonNode pod = base.get("Deployment").at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        JsonNode sc = container().path("securityContext");
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.at("/capabilities/drop/0").asText()).isEqualTo("ALL");
        assertThat(base.get("NetworkPolicy").at("/spec/policyTypes").toString()).contains("Ingress", "Egress");
    }
}

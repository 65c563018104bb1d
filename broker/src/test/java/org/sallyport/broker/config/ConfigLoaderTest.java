package org.sallyport.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("sallyport.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void emptyFileGivesTheDefaults() throws IOException {
        BrokerConfig c = ConfigLoader.load(write(""), Map.of());
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.workflow().maxDuration()).isEqualTo(Duration.ofHours(8));
        assertThat(c.dataDir()).isEqualTo(BrokerConfig.withDefaults().dataDir());
    }

    @Test
    void valuesAndEnvironmentOverridesApply() throws IOException {
        BrokerConfig c = ConfigLoader.load(write("""
                dataDir: data
                http: { port: 9000 }
                workflow: { maxDuration: PT4H }
                """), Map.of("SALLYPORT_HTTP_PORT", "9100", "SALLYPORT_DATABASE_URL", "jdbc:postgresql://db/sallyport"));
        assertThat(c.http().port()).isEqualTo(9100);
        assertThat(c.database().url()).isEqualTo("jdbc:postgresql://db/sallyport");
        assertThat(c.workflow().maxDuration()).isEqualTo(Duration.ofHours(4));
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
    }

    @Test
    void unknownKeyIsNamed() throws IOException {
        Path f = write("http: { prot: 9000 }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("prot").hasMessageContaining(f.toString());
    }

    @Test
    void brokenYamlNamesTheLine() throws IOException {
        Path f = write("http:\n  port: 9000\n   host: [\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML").hasMessageMatching(".*:\\d+: .*");
    }

    @Test
    void wrongTypeIsNamed() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("http: { port: eighty }\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
    }

    @Test
    void plainHttpOffLoopbackIsRefused() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("http: { host: 0.0.0.0 }\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.host").hasMessageContaining("tls");
    }

    @Test
    void accountWithClearPasswordIsRefused() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("""
                identity:
                  accounts:
                    - { username: tech, passwordHash: hunter2, roles: [vendor-technician], org: acme }
                """), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("identity.accounts[0].passwordHash")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void targetWithoutPinnedHostKeyIsRefused() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("""
                targets:
                  - { id: cam-1, site: s1, address: 10.0.0.5, sshPort: 22, credentialRef: cam-1/maint, orgs: [acme] }
                """), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("target cam-1").hasMessageContaining("hostKey");
    }

    @Test
    void targetsFileIsMerged() throws IOException {
        Files.writeString(dir.resolve("targets.yaml"), """
                - id: cam-2
                  site: s1
                  address: 10.0.0.6
                  sshPort: 22
                  hostKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
                  deviceUser: maint
                  credentialRef: cam-2/maint
                  orgs: [acme]
                """);
        BrokerConfig c = ConfigLoader.load(write("targetsFile: targets.yaml\n"), Map.of());
        assertThat(c.targets()).extracting(TargetConfig::id).containsExactly("cam-2");
    }
}

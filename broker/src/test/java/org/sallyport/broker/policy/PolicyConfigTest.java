package org.sallyport.broker.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.config.ConfigException;
import org.sallyport.broker.config.ConfigLoader;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

class PolicyConfigTest {
    @TempDir
    Path dir;

    @Test
    void policyDirIsResolvedNextToTheConfigFileAndTheEnvironmentOverridesIt() throws Exception {
        Path cfg = dir.resolve("sallyport.yaml");
        Files.writeString(cfg, "workflow: { policyDir: policy }\n");
        assertThat(ConfigLoader.load(cfg, Map.of()).workflow().policyDir()).isEqualTo(dir.resolve("policy"));
        assertThat(ConfigLoader.load(cfg, Map.of("SALLYPORT_POLICY_DIR", "/etc/sallyport/policy")).workflow().policyDir())
                .isEqualTo(Path.of("/etc/sallyport/policy"));
        Files.writeString(cfg, "");
        assertThat(ConfigLoader.load(cfg, Map.of()).workflow().policyDir()).isNull();
    }

    @Test
    void theBrokerDoesNotStartOnAPolicyThatDoesNotValidate() throws Exception {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        Files.writeString(policy.resolve("site.yaml"), "admission:\n  - id: all\n    effect: allow\n    reason: r\n    when: \"requester.nme == 'x'\"\n");
        var b = new TestBroker(Files.createDirectories(dir.resolve("data")), MutableClock.atSystemNow()).policyDir(policy);
        assertThatThrownBy(b::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("site.yaml:5").hasMessageContaining("undeclared reference");
    }
}

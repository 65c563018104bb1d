package org.sallyport.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OidcConfigTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("sallyport.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void oidcWithSecretFromTheEnvironmentAndDefaults() throws IOException {
        BrokerConfig c = ConfigLoader.load(write("""
                identity:
                  kind: oidc
                  oidc:
                    issuer: https://sso.example.gov/realms/sallyport
                    clientId: sallyport-portal
                """), Map.of("SALLYPORT_OIDC_CLIENT_SECRET", "from-env-secret"));
        assertThat(c.identity().kind()).isEqualTo("oidc");
        assertThat(c.identity().oidc().clientSecret()).isEqualTo("from-env-secret");
        assertThat(c.identity().oidc().audience()).isEqualTo("sallyport");
        assertThat(c.identity().oidc().cliClientId()).isEqualTo("sallyport-cli");
        assertThat(c.identity().oidc().toString()).doesNotContain("from-env-secret");
    }

    @Test
    void localStaysTheDefault() throws IOException {
        assertThat(ConfigLoader.load(write(""), Map.of()).identity().kind()).isEqualTo("local");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "issuer: http://sso.example.gov/realms/x|identity.oidc.issuer: must be an https URL",
            "issuer: https://sso.example.gov/realms/x/|identity.oidc.issuer: no trailing slash",
            "clientId: sallyport-portal|identity.oidc.issuer: required",
    })
    void badOidcSettingsNameTheField(String line, String message) throws IOException {
        String yaml = "identity:\n  kind: oidc\n  oidc:\n    clientSecret: s3cret-value\n    " + line + "\n"
                + (line.startsWith("clientId") ? "" : "    clientId: sallyport-portal\n");
        assertThatThrownBy(() -> ConfigLoader.load(write(yaml), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-value"));
    }

    @Test
    void oidcWithoutItsSectionOrSecretIsRefused() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("identity:\n  kind: oidc\n"), Map.of()))
                .hasMessageContaining("identity.oidc: required when identity.kind is oidc");
        assertThatThrownBy(() -> ConfigLoader.load(write("identity:\n  kind: oidc\n  oidc:\n    issuer: https://a.example/realms/r\n"
                + "    clientId: p\n"), Map.of())).hasMessageContaining("identity.oidc.clientSecret: required (or set SALLYPORT_OIDC_CLIENT_SECRET)");
        assertThatThrownBy(() -> ConfigLoader.load(write("identity:\n  kind: ldap\n"), Map.of()))
                .hasMessageContaining("supported: local, oidc");
    }
}

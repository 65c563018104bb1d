package org.sallyport.broker.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.UnaryOperator;

/** Validation of {@code identity.oidc} (kept apart from {@link ConfigLoader} so the check reads as one list). */
final class OidcConfigCheck {
    private OidcConfigCheck() {}

    static void check(BrokerConfig.Oidc o, UnaryOperator<String> at) {
        if (o == null) {
            throw new ConfigException(at.apply("identity.oidc: required when identity.kind is oidc (issuer, clientId, clientSecret)"));
        }
        if (o.issuer() == null || o.issuer().isBlank()) throw new ConfigException(at.apply("identity.oidc.issuer: required"));
        try {
            URI u = new URI(o.issuer());
            boolean loopback = "127.0.0.1".equals(u.getHost()) || "localhost".equals(u.getHost()) || "[::1]".equals(u.getHost());
            if (!"https".equals(u.getScheme()) && !("http".equals(u.getScheme()) && loopback)) {
                throw new ConfigException(at.apply("identity.oidc.issuer: must be an https URL (http only on loopback), got '"
                        + o.issuer() + "'"));
            }
            if (o.issuer().endsWith("/")) throw new ConfigException(at.apply("identity.oidc.issuer: no trailing slash"));
        } catch (URISyntaxException e) {
            throw new ConfigException(at.apply("identity.oidc.issuer: not a URL: '" + o.issuer() + "'"));
        }
        if (o.clientId() == null || o.clientId().isBlank()) throw new ConfigException(at.apply("identity.oidc.clientId: required"));
        if (o.clientSecret() == null || o.clientSecret().isBlank()) {
            throw new ConfigException(at.apply("identity.oidc.clientSecret: required (or set SALLYPORT_OIDC_CLIENT_SECRET)"));
        }
        if (o.audience() != null && o.audience().isBlank()) throw new ConfigException(at.apply("identity.oidc.audience: must not be blank"));
        if (o.cliClientId() != null && o.cliClientId().isBlank()) {
            throw new ConfigException(at.apply("identity.oidc.cliClientId: must not be blank"));
        }
    }
}

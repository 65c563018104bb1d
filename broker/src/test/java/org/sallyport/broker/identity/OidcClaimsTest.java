package org.sallyport.broker.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.broker.error.UnauthenticatedException;

class OidcClaimsTest {
    static JsonObject claims(String user, JsonArray roles, JsonArray groups) {
        JsonObject c = new JsonObject().put("realm_access", new JsonObject().put("roles", roles)).put("groups", groups);
        return user == null ? c : c.put("preferred_username", user);
    }

    @Test
    void vendorGetsItsOrgFromTheVendorsGroupAndNoSites() {
        Principal p = OidcClaims.principal(claims("tech", new JsonArray().add("vendor-technician").add("offline_access"),
                new JsonArray().add("/vendors/acme-optics").add("/sites/anzalduas")));
        assertThat(p.roles()).containsExactly(Role.VENDOR_TECHNICIAN);
        assertThat(p.org()).isEqualTo("acme-optics");
        assertThat(p.sites()).isEmpty();
    }

    @Test
    void supervisorGetsEverySiteGroupButNotNestedOrLookalikeGroups() {
        Principal p = OidcClaims.principal(claims("sup", new JsonArray().add("supervisor"),
                new JsonArray().add("/sites/anzalduas").add("/sites/pharr").add("/sites/pharr/annex").add("/sitesx/evil").add("/sites/")));
        assertThat(p.sites()).isEqualTo(Set.of("anzalduas", "pharr"));
        assertThat(p.org()).isNull();
    }

    @Test
    void vendorInTwoOrgsIsRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> OidcClaims.principal(claims("tech", new JsonArray().add("vendor-technician"),
                new JsonArray().add("/vendors/a").add("/vendors/b")))).isInstanceOf(ForbiddenException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> OidcClaims.principal(claims("tech", new JsonArray().add("vendor-technician"), new JsonArray())))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void noSallyportRoleOrNoUserNameIsRefused() {
        assertThatThrownBy(() -> OidcClaims.principal(claims("x", new JsonArray().add("offline_access"), new JsonArray())))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("no Sallyport role");
        assertThatThrownBy(() -> OidcClaims.principal(claims(null, new JsonArray().add("admin"), new JsonArray())))
                .isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> OidcClaims.principal(new JsonObject().put("preferred_username", "x").put("realm_access", "admin")))
                .isInstanceOf(ForbiddenException.class);
    }
}

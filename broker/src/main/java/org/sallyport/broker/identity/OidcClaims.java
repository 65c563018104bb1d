package org.sallyport.broker.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.broker.error.UnauthenticatedException;

/**
 * Maps the claims of a verified access token to a {@link Principal}: {@code preferred_username} is the user name,
 * realm roles ({@code realm_access.roles}) with a Sallyport wire name are the roles (others are ignored), group
 * {@code /vendors/<org>} is the vendor organisation and groups {@code /sites/<site>} are the sites.
 *
 * <p>Fails closed: no user name is a 401; no Sallyport role, or a vendor technician in no or several vendor groups
 * (which org would its requests belong to?), is a 403. Pure: no I/O, no clock (the token was verified before).
 */
public final class OidcClaims {
    static final String VENDORS = "/vendors/";
    static final String SITES = "/sites/";

    private OidcClaims() {}

    public static Principal principal(JsonObject claims) {
        String username = claims.getValue("preferred_username") instanceof String s && !s.isBlank() ? s : null;
        if (username == null) throw new UnauthenticatedException("token names no user (preferred_username)");
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : strings(claims.getValue("realm_access") instanceof JsonObject ra ? ra.getValue("roles") : null)) {
            Role.fromWireName(r).ifPresent(roles::add);
        }
        if (roles.isEmpty()) {
            throw new ForbiddenException(username + " has no Sallyport role in the identity provider (realm roles: "
                    + String.join(", ", Role.VENDOR_TECHNICIAN.wireName(), Role.SUPERVISOR.wireName(), Role.INSPECTOR.wireName(),
                    Role.ADMIN.wireName()) + ")");
        }
        Set<String> orgs = new TreeSet<>();
        Set<String> sites = new TreeSet<>();
        for (String g : strings(claims.getValue("groups"))) {
            if (g.startsWith(VENDORS) && g.length() > VENDORS.length() && g.indexOf('/', VENDORS.length()) < 0) {
                orgs.add(g.substring(VENDORS.length()));
            } else if (g.startsWith(SITES) && g.length() > SITES.length() && g.indexOf('/', SITES.length()) < 0) {
                sites.add(g.substring(SITES.length()));
            }
        }
        String org = null;
        if (roles.contains(Role.VENDOR_TECHNICIAN)) {
            if (orgs.size() != 1) {
                throw new ForbiddenException(username + " is a vendor technician in " + (orgs.isEmpty() ? "no" : orgs.size())
                        + " vendor groups; it must be in exactly one group " + VENDORS + "<org>");
            }
            org = orgs.iterator().next();
        }
        return new Principal(username, roles, org, roles.contains(Role.SUPERVISOR) ? sites : Set.of());
    }

    private static Iterable<String> strings(Object value) {
        if (!(value instanceof JsonArray a)) return Set.of();
        return a.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
}

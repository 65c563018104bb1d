package org.sallyport.broker.domain;

import java.util.Arrays;
import java.util.Optional;

/** Sallyport roles; the wire name is the Keycloak realm role name. */
public enum Role {
    VENDOR_TECHNICIAN("vendor-technician"),
    SUPERVISOR("supervisor"),
    INSPECTOR("inspector"),
    ADMIN("admin");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
    }
}

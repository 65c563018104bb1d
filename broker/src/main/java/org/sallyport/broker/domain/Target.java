package org.sallyport.broker.domain;

import java.util.Objects;
import java.util.Set;

/**
 * A device a vendor may maintain. The credential is only a reference: the secret itself lives in the
 * encrypted credential vault and never appears in this record, an API response or a log line.
 *
 * @param orgs vendor organisations contracted for this device
 */
public record Target(String id, String site, String kind, String address, int sshPort, int httpPort,
                     String hostKey, String deviceUser, String credentialRef, Set<String> orgs, Set<String> tags,
                     int approvalsRequired) {
    public Target {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(site, "site");
        orgs = orgs == null ? Set.of() : Set.copyOf(orgs);
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }
}

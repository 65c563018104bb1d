package org.sallyport.broker.workflow;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.domain.Target;

/** The configured targets, and which of them a principal may see. Immutable. */
public final class TargetCatalog {
    private final Map<String, Target> byId = new LinkedHashMap<>();

    public TargetCatalog(Collection<Target> targets) {
        targets.forEach(t -> byId.put(t.id(), t));
    }

    public Optional<Target> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<Target> all() {
        return List.copyOf(byId.values());
    }

    /** Vendors see targets their org is contracted for; supervisors their sites'; inspectors and admins all. */
    public List<Target> visibleTo(Principal p) {
        if (p.has(Role.ADMIN) || p.has(Role.INSPECTOR)) return all();
        return byId.values().stream()
                .filter(t -> (p.has(Role.VENDOR_TECHNICIAN) && p.org() != null && t.orgs().contains(p.org()))
                        || (p.has(Role.SUPERVISOR) && p.sites().contains(t.site())))
                .toList();
    }
}

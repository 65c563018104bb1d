package org.sallyport.policy.model;

import java.util.Objects;
import java.util.Set;

/** The device. CEL: {@code target.id}, {@code target.site}, {@code target.kind}, {@code target.tags}. */
public record TargetInfo(String id, String site, String kind, Set<String> tags) {
    public TargetInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(site, "site");
        kind = kind == null ? "" : kind;
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }
}

package org.sallyport.broker.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.domain.Target;
import org.sallyport.policy.guard.ChannelKind;
import org.sallyport.policy.guard.StreamGuard;
import org.sallyport.policy.load.PolicyLoader;

class PolicyContextsTest {
    private static final Target CAM = new Target("cam-anz-01", "anzalduas", "ip-camera", "127.0.0.1", 22, 0, null, "maint",
            "cam-anz-01/maint", Set.of("acme-optics"), Set.of("face-capture"), 1);

    @Test
    void aPrincipalBecomesRoleAndGroupPaths() {
        var r = PolicyContexts.requester(new Principal("sup", Set.of(Role.SUPERVISOR), null, Set.of("anzalduas")));
        assertThat(r.groups()).containsExactlyInAnyOrder("supervisor", "/sites/anzalduas");
        assertThat(r.org()).isEmpty();
        var v = PolicyContexts.requester(new Principal("tech", Set.of(Role.VENDOR_TECHNICIAN), "acme-optics", Set.of()));
        assertThat(v.groups()).containsExactlyInAnyOrder("vendor-technician", "/vendors/acme-optics");
    }

    @Test
    void aSessionContextBuildsTheGuardFromTheDefaultPolicy() {
        Instant start = Instant.parse("2026-12-01T16:00:00Z");
        var req = new AccessRequest("r1", "tech", "acme-optics", List.of("cam-anz-01"), Set.of("anzalduas"), start,
                Duration.ofHours(1), "focus", "INC-1", RequestState.APPROVED, 1, "camera-maintenance", List.of(), start, start);
        var ctx = PolicyContexts.forSession(req, CAM, start.plusSeconds(60));
        assertThat(ctx.at()).isEqualTo(start.plusSeconds(60));
        var guard = new StreamGuard(PolicyLoader.loadDefault().guardRules(ctx), true, java.time.InstantSource.fixed(start));
        assertThat(guard.channelRequest(ChannelKind.SHELL, null).passed()).isTrue();
        assertThat(guard.channelRequest(ChannelKind.PORT_FORWARD, "127.0.0.1:554").ruleId()).isEqualTo("default.channel.port-forward");
    }
}

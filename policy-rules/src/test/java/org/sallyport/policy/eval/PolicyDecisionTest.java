package org.sallyport.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sallyport.policy.load.PolicyLoader;
import org.sallyport.policy.model.AdmissionDecision;
import org.sallyport.policy.model.ChannelRequest;
import org.sallyport.policy.model.HttpRequestInfo;
import org.sallyport.policy.model.HttpResponseInfo;
import org.sallyport.policy.model.PolicyContext;
import org.sallyport.policy.model.RequestInfo;
import org.sallyport.policy.model.Requester;
import org.sallyport.policy.model.SessionInfo;
import org.sallyport.policy.model.StreamAction;
import org.sallyport.policy.model.TargetInfo;

class PolicyDecisionTest {
    private static final Policy POLICY = PolicyLoader.load("t", Map.of("p.yaml", """
            timezone: UTC
            sites:
              berlin: { timezone: Europe/Berlin }
            admission:
              - id: night-deny
                when: "time.hour < 6"
                effect: deny
                reason: no night work
              - id: vendors
                when: "'vendor' in requester.groups && target.kind == 'camera'"
                effect: allow
                reason: vendors maintain cameras
            approvals:
              - id: one
                count: 1
                reason: one approver
              - id: weekend
                when: "time.weekday in ['SAT', 'SUN']"
                count: 2
                reason: weekends need two
              - id: risky
                when: "'high-risk' in target.tags"
                count: 3
                site: any
                role: admin
                reason: high risk needs three admins
            limits:
              - id: office-hours
                when: "target.site == 'berlin'"
                allowedHours: { days: [MON, TUE, WED, THU, FRI], from: "08:00", to: "18:00" }
                reason: Berlin works office hours
              - id: four-hours
                maxDuration: 4h
                maxConcurrentPerTarget: 2
              - id: two-hours-for-acme
                when: "requester.org == 'acme'"
                maxDuration: 2h
                maxConcurrentPerVendor: 3
            channels:
              - id: exec-status-only
                when: "target.id == 'cam-2'"
                exec: { allow: ['uptime', 'cat /var/log/[a-z]+\\.log'] }
              - id: shell
                shell: allow
            input:
              - id: nc
                patterns: ['\\bnc\\b']
                action: terminate
                reason: netcat
              - id: rm
                when: "target.kind == 'camera'"
                patterns: ['^rm ']
                action: block
                reason: no deleting
            output:
              - id: acme-output
                when: "requester.org == 'acme'"
                detectors: [binary, base64]
                action: block
                maxOutputBytes: 1MiB
                reason: acme output
            http:
              - id: ro
                methods: [GET]
                paths: ['/status(/.*)?']
                deniedQueryParams: [download]
                responseContentTypes: [text/*, application/json]
                reason: read only
            session:
              - id: too-much
                when: "session.bytesOut > 1000 && session.elapsed < duration('1m')"
                reason: too fast
            """));

    // Tuesday 2026-12-01 10:00 UTC = 11:00 in Berlin
    private static final Instant TUE_10_UTC = Instant.parse("2026-12-01T10:00:00Z");

    private static PolicyContext ctx(String site, Set<String> tags, Instant start, Duration d, String org) {
        return PolicyContext.forRequest(new Requester("tech", org, Set.of("vendor")),
                new TargetInfo("cam-1", site, "camera", tags), new RequestInfo(start, d, "r", "T-1"));
    }

    private static PolicyContext ctx() {
        return ctx("x", Set.of(), TUE_10_UTC, Duration.ofHours(1), "borealis");
    }

    @Test
    void firstMatchingAdmissionRuleDecides() {
        var d = POLICY.decideRequest(ctx());
        assertThat(d).isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(d.ruleId()).isEqualTo("vendors");
        assertThat(d.reason()).isEqualTo("vendors maintain cameras");
    }

    @Test
    void nothingMatchingIsDeniedByDefault() {
        var c = PolicyContext.forRequest(new Requester("sup", "", Set.of("supervisor")),
                new TargetInfo("cam-1", "x", "camera", Set.of()), new RequestInfo(TUE_10_UTC, Duration.ofHours(1), "", ""));
        var d = POLICY.decideRequest(c);
        assertThat(d).isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(d.ruleId()).isEqualTo(Policy.ADMISSION_DEFAULT_DENY);
    }

    @Test
    void timeIsTheSiteLocalTime() {
        // 05:30 UTC is 06:30 in Berlin: the night rule (hour < 6) refuses it in UTC but not in Berlin
        Instant t = Instant.parse("2026-12-01T05:30:00Z");
        assertThat(POLICY.decideRequest(ctx("x", Set.of(), t, Duration.ofHours(1), "b")).ruleId()).isEqualTo("night-deny");
        var berlin = POLICY.decideRequest(ctx("berlin", Set.of(), t, Duration.ofHours(1), "b"));
        assertThat(berlin.ruleId()).isEqualTo("office-hours"); // admitted by time, refused by Berlin's office hours (06:30 < 08:00)
        assertThat(berlin.reason()).contains("outside the allowed hours").contains("Europe/Berlin");
    }

    @ParameterizedTest(name = "{0}: {1} approvals by {2}")
    @CsvSource({
            "2026-12-01T10:00:00Z, 1, one, ''",
            "2026-12-05T10:00:00Z, 2, weekend, ''",
            "2026-12-01T10:00:00Z, 3, risky, high-risk"})
    void theLargestMatchingApprovalCountWins(String start, int count, String rule, String tag) {
        Set<String> tags = tag.isEmpty() ? Set.of() : Set.of(tag);
        var d = (AdmissionDecision.Admitted) POLICY.decideRequest(ctx("x", tags, Instant.parse(start), Duration.ofHours(1), "b"));
        assertThat(d.approvals().count()).isEqualTo(count);
        assertThat(d.approvals().ruleId()).isEqualTo(rule);
        if (rule.equals("risky")) {
            assertThat(d.approvals().role()).isEqualTo("admin");
            assertThat(d.approvals().sites()).isEmpty();
        } else {
            assertThat(d.approvals().sites()).containsExactly("x");
        }
    }

    @Test
    void theStrictestMaxDurationRefusesWithItsRule() {
        assertThat(POLICY.decideRequest(ctx("x", Set.of(), TUE_10_UTC, Duration.ofHours(3), "b"))).isInstanceOf(AdmissionDecision.Admitted.class);
        var d = POLICY.decideRequest(ctx("x", Set.of(), TUE_10_UTC, Duration.ofHours(3), "acme"));
        assertThat(d.ruleId()).isEqualTo("two-hours-for-acme");
        assertThat(d.reason()).contains("3h is over the limit of 2h");
    }

    @Test
    void concurrencyCapsAreHandedToTheBrokerWithTheirRules() {
        var d = (AdmissionDecision.Admitted) POLICY.decideRequest(ctx("x", Set.of(), TUE_10_UTC, Duration.ofHours(1), "acme"));
        assertThat(d.limits().maxConcurrentPerVendor()).isEqualTo(3);
        assertThat(d.limits().perVendorRule()).isEqualTo("two-hours-for-acme");
        assertThat(d.limits().maxConcurrentPerTarget()).isEqualTo(2);
        assertThat(d.limits().perTargetRule()).isEqualTo("four-hours");
        assertThat(d.limits().maxDuration()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aWindowRunningPastTheAllowedHoursIsRefused() {
        Instant start = Instant.parse("2026-12-01T15:00:00Z"); // 16:00 Berlin, ends 19:00 > 18:00
        var d = POLICY.decideRequest(ctx("berlin", Set.of(), start, Duration.ofHours(3), "b"));
        assertThat(d.ruleId()).isEqualTo("office-hours");
        var ok = POLICY.decideRequest(ctx("berlin", Set.of(), start, Duration.ofHours(2), "b"));
        assertThat(ok).isInstanceOf(AdmissionDecision.Admitted.class);
    }

    @Test
    void channelsAreDeniedUnlessTheMatchingRuleAllowsThem() {
        SessionRules shell = POLICY.sessionRules(ctx());
        assertThat(shell.channel(new ChannelRequest("shell", null)).allowed()).isTrue();
        var exec = shell.channel(new ChannelRequest("exec", "uptime"));
        assertThat(exec.allowed()).isFalse();
        assertThat(exec.ruleId()).isEqualTo("shell");
        assertThat(shell.channel(new ChannelRequest("subsystem", "sftp")).allowed()).isFalse();
        assertThat(shell.channel(new ChannelRequest("subsystem", "anything-else")).allowed()).isFalse();

        var c2 = PolicyContext.forRequest(new Requester("tech", "b", Set.of("vendor")), new TargetInfo("cam-2", "x", "camera", Set.of()),
                new RequestInfo(TUE_10_UTC, Duration.ofHours(1), "", ""));
        SessionRules execOnly = POLICY.sessionRules(c2);
        assertThat(execOnly.channel(new ChannelRequest("shell", null)).ruleId()).isEqualTo("exec-status-only");
        assertThat(execOnly.channel(new ChannelRequest("shell", null)).allowed()).isFalse();
        assertThat(execOnly.channel(new ChannelRequest("exec", "uptime")).allowed()).isTrue();
        assertThat(execOnly.channel(new ChannelRequest("exec", "cat /var/log/messages.log")).allowed()).isTrue();
        assertThat(execOnly.channel(new ChannelRequest("exec", "cat /var/log/messages.log; nc x 1")).allowed()).isFalse();
        assertThat(execOnly.channel(new ChannelRequest("exec", "scp -f /x")).reason()).contains("scp is not allowed");
    }

    @Test
    void inputRulesBlockOrTerminate() {
        SessionRules r = POLICY.sessionRules(ctx());
        assertThat(r.inputLine("ls -la").action()).isEqualTo(StreamAction.PASS);
        var nc = r.inputLine("cat x | nc 1.2.3.4 9");
        assertThat(nc.action()).isEqualTo(StreamAction.TERMINATE);
        assertThat(nc.ruleId()).isEqualTo("nc");
        assertThat(r.inputLine("rm -rf /").action()).isEqualTo(StreamAction.BLOCK);
    }

    @Test
    void outputFallsBackToEveryDetectorWhenNoRuleMatches() {
        assertThat(POLICY.sessionRules(ctx()).output().ruleId()).isEqualTo(Policy.OUTPUT_DEFAULT);
        assertThat(POLICY.sessionRules(ctx()).output().detectors()).contains("binary", "hexdump", "volume");
        var acme = POLICY.sessionRules(ctx("x", Set.of(), TUE_10_UTC, Duration.ofHours(1), "acme")).output();
        assertThat(acme.detectors()).containsExactlyInAnyOrder("binary", "base64");
        assertThat(acme.action()).isEqualTo(StreamAction.BLOCK);
        assertThat(acme.maxOutputBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void sessionRulesSeeLiveCounters() {
        var base = ctx();
        var quiet = PolicyContext.forSession(base.requester(), base.target(), base.request(), new SessionInfo(10, 500, Duration.ofSeconds(30)), TUE_10_UTC);
        var loud = PolicyContext.forSession(base.requester(), base.target(), base.request(), new SessionInfo(10, 5000, Duration.ofSeconds(30)), TUE_10_UTC);
        assertThat(POLICY.decideSession(quiet).action()).isEqualTo(StreamAction.PASS);
        assertThat(POLICY.decideSession(loud).ruleId()).isEqualTo("too-much");
    }

    @Test
    void httpRequestsAndResponsesAreCheckedAgainstTheMatchingRule() {
        var c = ctx();
        assertThat(POLICY.decideHttpRequest(c, new HttpRequestInfo("GET", "/status/net", Map.of(), null)).allowed()).isTrue();
        assertThat(POLICY.decideHttpRequest(c, new HttpRequestInfo("GET", "/snapshot.jpg", Map.of(), null)).reason()).contains("path");
        assertThat(POLICY.decideHttpRequest(c, new HttpRequestInfo("GET", "/status", Map.of("Download", List.of("1")), null)).allowed()).isFalse();
        assertThat(POLICY.decideHttpRequest(c, new HttpRequestInfo("PUT", "/status", Map.of(), "text/plain")).reason()).contains("method PUT");
        assertThat(POLICY.decideHttpResponse(c, new HttpResponseInfo(200, "text/html; charset=utf-8")).allowed()).isTrue();
        var jpeg = POLICY.decideHttpResponse(c, new HttpResponseInfo(200, "image/jpeg"));
        assertThat(jpeg.allowed()).isFalse();
        assertThat(jpeg.ruleId()).isEqualTo("ro");
        assertThat(POLICY.decideHttpResponse(c, new HttpResponseInfo(200, null)).allowed()).isFalse();
    }

    @Test
    void aConditionThatFailsAtRunTimeNeverAdmits() {
        Policy p = PolicyLoader.load("t", Map.of("p.yaml", """
                admission:
                  - id: divides
                    when: "10 / session.bytes > 1"
                    effect: allow
                    reason: r
                approvals:
                  - {id: one, count: 1, reason: r}
                """));
        var d = p.decideRequest(ctx());
        assertThat(d).isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(d.ruleId()).isEqualTo("divides");
        assertThat(d.reason()).contains("could not be evaluated");
    }

    @Test
    void aRequestWithoutAnApprovalRuleIsRefused() {
        Policy p = PolicyLoader.load("t", Map.of("p.yaml", "admission:\n  - {id: a, effect: allow, reason: r}\n"));
        assertThat(p.decideRequest(ctx()).ruleId()).isEqualTo(Policy.APPROVALS_DEFAULT_DENY);
    }
}

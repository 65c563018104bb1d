package org.sallyport.policy.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.sallyport.policy.detect.DetectorConfig;
import org.sallyport.policy.detect.Direction;

/**
 * Everything the live guard needs to decide a session: channel rules, input (command line) rules
 * and output rules. Immutable; one instance may be shared by any number of sessions, each of which
 * builds its own {@link StreamGuard} from it. The YAML policy compiles its {@code channels},
 * {@code input} and {@code output} sections into this type.
 *
 * <h2>Decision order</h2>
 *
 * <ul>
 *   <li>Channels: the first {@link ChannelRule} whose kind and detail pattern match decides; an
 *       exec command that is allowed is then checked against the input rules too; nothing
 *       matches: deny with {@link #RULE_CHANNEL_DEFAULT}.
 *   <li>Input: each submitted line is checked against every {@link InputRule}; the most severe
 *       matching action wins (ties: the earlier rule).
 *   <li>Bytes: every enabled detector in its directions and every volume cap; the earliest offset
 *       wins (ties: the earlier rule).
 * </ul>
 *
 * @param channels channel rules, first match wins
 * @param input command-line rules
 * @param output detectors and volume caps
 */
public record GuardRules(List<ChannelRule> channels, List<InputRule> input, OutputRules output) {

  /** Decides a channel request no rule matched: deny. */
  public static final String RULE_CHANNEL_DEFAULT = "guard.channels.default-deny";
  /** Rule id of a PASS verdict on bytes. */
  public static final String RULE_BYTES_CLEAN = "guard.bytes.clean";

  public GuardRules {
    channels = List.copyOf(Objects.requireNonNull(channels, "channels"));
    input = List.copyOf(Objects.requireNonNull(input, "input"));
    Objects.requireNonNull(output, "output");
    Set<String> ids = new HashSet<>();
    List<String> all = new ArrayList<>();
    channels.forEach(r -> all.add(r.id()));
    input.forEach(r -> all.add(r.id()));
    output.detectors().forEach(r -> all.add(r.id()));
    output.volumeCaps().forEach(r -> all.add(r.id()));
    for (String id : all) {
      if (!ids.add(id)) {
        throw new IllegalArgumentException("duplicate guard rule id '" + id + "'");
      }
    }
  }

  static void requireId(String id, String what) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  /**
   * Where a command word starts: line start, after a shell operator ({@code ; & | ( ` { $(}), a
   * quote, or a wrapper such as sudo, busybox, env, xargs, nohup, timeout; then an optional path.
   */
  public static final String COMMAND_START =
      "(?:^|[;&|(`{'\"]|\\b(?:sudo|busybox|exec|xargs|nohup|env|command|nice|time|watch|stdbuf"
          + "|timeout\\s+\\S+)\\s)\\s*(?:[^\\s;&|]*/)?";

  private static String command(String alternatives) {
    return COMMAND_START + "(?:" + alternatives + ")(?=[\\s;&|)'\"`]|$)";
  }

  /**
   * Safe defaults for camera maintenance: interactive shell and exec allowed; scp, sftp and other
   * subsystems, port forwarding, agent and X11 forwarding denied; transfer tools on the command
   * line refused (network tools end the session, local encoders and archivers are blocked); every
   * export detector on in both directions, ending the session; output capped at 50 MiB per session
   * and 2 MiB/s over 10 s.
   */
  public static GuardRules defaults() {
    List<ChannelRule> channels =
        List.of(
            ChannelRule.allow("default.channel.shell", ChannelKind.SHELL,
                "interactive shell for maintenance"),
            ChannelRule.allow("default.channel.exec", ChannelKind.EXEC,
                "remote commands for maintenance (checked against the input rules)"),
            ChannelRule.deny("default.channel.scp", ChannelKind.SCP,
                "file transfer (scp) is not allowed through Sallyport"),
            ChannelRule.deny("default.channel.subsystem", ChannelKind.SUBSYSTEM,
                "subsystems (sftp) are not allowed through Sallyport"),
            ChannelRule.deny("default.channel.port-forward", ChannelKind.PORT_FORWARD,
                "port forwarding is not allowed through Sallyport"),
            ChannelRule.deny("default.channel.agent", ChannelKind.AGENT,
                "agent forwarding is not allowed through Sallyport"),
            ChannelRule.deny("default.channel.x11", ChannelKind.X11,
                "X11 forwarding is not allowed through Sallyport"));
    List<InputRule> input =
        List.of(
            new InputRule("default.input.transfer-tool",
                command("scp|sftp|sftp-server|internal-sftp|rsync|tftp|ftp|lftp|ftpput|ftpget"
                    + "|nc|ncat|netcat|socat|sz|sb|sx|kermit"),
                GuardAction.TERMINATE,
                "file transfer and network relay tools are not allowed",
                List.of("scp", "sftp", "rsync", "tftp", "ftp", "lftp", "ftpput", "nc", "ncat",
                    "netcat", "socat")),
            new InputRule("default.input.http-upload",
                command("curl") + ".*(?:\\s-[A-Za-z]*T|--upload-file|\\s-[A-Za-z]*F|--form"
                    + "|\\s-d\\s*@|--data(?:-binary|-raw|-urlencode)?[\\s=]+@"
                    + "|-X\\s*(?:POST|PUT)|--request[\\s=]+(?:POST|PUT))"
                    + "|" + command("wget") + ".*--(?:post-file|post-data|body-file|body-data"
                    + "|method[\\s=]+(?:PUT|POST))",
                GuardAction.TERMINATE, "uploads with curl or wget are not allowed"),
            new InputRule("default.input.dev-tcp", "/dev/(?:tcp|udp)/",
                GuardAction.TERMINATE, "shell network redirections (/dev/tcp) are not allowed"),
            new InputRule("default.input.http-server",
                "-m\\s+(?:http\\.server|SimpleHTTPServer)\\b|" + command("php") + "\\s.*-S\\s",
                GuardAction.TERMINATE, "ad-hoc file servers are not allowed"),
            new InputRule("default.input.encode-file",
                command("base64|base32|basenc|xxd|od|hexdump|hd|uuencode|uudecode"),
                GuardAction.BLOCK,
                "encoding or dumping files (base64, xxd, od, hexdump, uuencode) is not allowed",
                List.of("base64", "xxd", "hexdump", "uuencode")),
            new InputRule("default.input.openssl",
                command("openssl") + "\\s+(?:enc|base64|aes\\S*|des\\S*|smime|cms|s_client)\\b",
                GuardAction.BLOCK, "openssl encoding, encryption and TLS clients are not allowed"),
            new InputRule("default.input.dd-stdout", command("dd") + "(?!.*\\bof=)",
                GuardAction.BLOCK, "dd without of= writes a device or file to the terminal"),
            new InputRule("default.input.archive-stdout",
                command("tar") + "\\s+(?:.*\\s)?(?:-?[A-Za-z]*c[A-Za-z]*|--create)(?=\\s|$)"
                    + "|" + command("gzip|bzip2|xz|zstd|lz4|lzma|compress|pigz")
                    + "(?:\\s.*)?\\s(?:-[A-Za-z]*c[A-Za-z]*|--stdout|--to-stdout)(?=\\s|$)"
                    + "|" + command("zip") + "\\s(?:.*\\s)?-(?=\\s|$)"
                    + "|" + command("cpio") + "\\s+-[A-Za-z]*o"
                    + "|" + command("7z|7za|7zr"),
                GuardAction.BLOCK, "creating archives (tar, gzip -c, zip, cpio) is not allowed"),
            new InputRule("default.input.media-to-terminal",
                command("cat|head|tail|less|more|strings|tac|nl|pv") + "\\s.*\\.(?:jpe?g|png|gif"
                    + "|bmp|tiff?|webp|heic|mp4|mov|m4v|h264|h265|264|265|hevc|mjpe?g|avi|mkv|yuv"
                    + "|tgz|tar|gz|zip|7z)\\b",
                GuardAction.BLOCK, "printing image, video or archive files to the terminal is not"
                    + " allowed"));
    Set<Direction> both = EnumSet.allOf(Direction.class);
    List<DetectorRule> detectors =
        List.of(
            new DetectorRule("default.output.binary", "binary", GuardAction.TERMINATE, both),
            new DetectorRule("default.output.annexb", "video.annexb", GuardAction.TERMINATE, both),
            new DetectorRule("default.output.mjpeg", "video.mjpeg", GuardAction.TERMINATE, both),
            new DetectorRule("default.output.base64", "base64", GuardAction.TERMINATE, both),
            new DetectorRule("default.output.hexdump", "hexdump", GuardAction.TERMINATE, both),
            new DetectorRule("default.output.uuencode", "uuencode", GuardAction.TERMINATE, both));
    List<VolumeCap> caps =
        List.of(
            // 50 MiB: a long maintenance session (logs, firmware banners, top) stays far below
            // it; 184,000 face images (~5 GiB) are far above. 2 MiB/s sustained over 10 s is more
            // than any human reads; a bulk dump trips it early.
            new VolumeCap("default.output.volume", 50L * 1024 * 1024, 2L * 1024 * 1024,
                Duration.ofSeconds(10), GuardAction.TERMINATE));
    return new GuardRules(channels, input,
        new OutputRules(detectors, DetectorConfig.withDefaults(), caps));
  }
}

package org.sallyport.policy.guard;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sallyport.policy.detect.Detection;
import org.sallyport.policy.detect.Direction;
import org.sallyport.policy.detect.ExportDetectors;
import org.sallyport.policy.detect.StreamDetector;

/**
 * The guard of one brokered session: decides its channel request and judges every byte it
 * carries, in three streams: input (vendor to device), output (device stdout) and error (device
 * stderr).
 *
 * <h2>Security guarantees</h2>
 *
 * <ul>
 *   <li>Deny by default: a channel request no rule allows is denied; an exec command is also
 *       checked against the input rules; an exec of {@code scp -t}/{@code scp -f} is judged as
 *       {@link ChannelKind#SCP}.
 *   <li>Every byte is examined before the call returns, so a caller that forwards only on PASS
 *       never forwards the bytes that completed a match. The verdict names the rule, a human
 *       reason and the stream offset of the byte that completed the match.
 *   <li>Split invariance: detector verdicts and line verdicts depend only on the bytes of a
 *       stream, never on how they were cut into chunks.
 *   <li>Sticky: once a stream's detector fired, every later chunk of that stream gets the same
 *       verdict (a caller that ignored it is told again).
 *   <li>Bounded memory whatever the input: detectors keep a fixed few hundred bytes per stream;
 *       the line assembler keeps at most 2 × {@value #MAX_LINE} characters; regular expressions
 *       run once per submitted line over at most that many characters.
 * </ul>
 *
 * <h2>Restrictions</h2>
 *
 * <ul>
 *   <li>Input rules are defence in depth: a line edited in ways the guard cannot follow is judged
 *       conservatively (patterns over every typed character; a tab-completed command word that is
 *       a prefix of a listed tool counts as that tool), but a command recalled from the device's
 *       own shell history is not visible in the keystrokes. The output detectors still see
 *       whatever that command prints.
 *   <li>On a session without a PTY a dropped chunk cannot be un-typed, so BLOCK input verdicts
 *       are raised to TERMINATE there.
 *   <li>Output detection is by signature (see DETECTORS.md) plus the volume caps.
 * </ul>
 *
 * <p>Threading: each of {@link #input}, {@link #output} and {@link #error} keeps its own state
 * and may be called from its own thread; the volume caps are shared by output and error and are
 * synchronised.
 */
public final class StreamGuard {
  /** Characters of a command line kept exactly (and, past that, of its tail). */
  public static final int MAX_LINE = LineAssembler.MAX;

  private static final Pattern SCP_EXEC =
      Pattern.compile("^\\s*(?:\\S*/)?scp\\s(?:.*\\s)?-[a-zA-Z]*[tf][a-zA-Z]*(?:\\s|$)");

  private final GuardRules rules;
  private final boolean pty;
  private final InstantSource clock;
  private final List<Pattern> inputPatterns;
  private final ByteStream in;
  private final ByteStream out;
  private final ByteStream err;
  private final LineAssembler lines = new LineAssembler();
  private GuardVerdict inputSticky;

  // volume caps, shared by output and error
  private long volumeTotal;
  private final long[] windowStart;
  private final long[] windowBytes;
  private GuardVerdict volumeSticky;

  /**
   * @param rules the rules in force when the session started (later policy changes apply to new
   *     sessions)
   * @param pty whether the session has a terminal (affects BLOCK on input, see class doc)
   * @param clock time source for the rate cap
   */
  public StreamGuard(GuardRules rules, boolean pty, InstantSource clock) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.pty = pty;
    this.clock = Objects.requireNonNull(clock, "clock");
    List<Pattern> ps = new ArrayList<>();
    for (InputRule r : rules.input()) {
      ps.add(r.compiled());
    }
    this.inputPatterns = List.copyOf(ps);
    this.in = new ByteStream(rules, Direction.INPUT);
    this.out = new ByteStream(rules, Direction.OUTPUT);
    this.err = new ByteStream(rules, Direction.OUTPUT);
    this.windowStart = new long[rules.output().volumeCaps().size()];
    this.windowBytes = new long[windowStart.length];
    java.util.Arrays.fill(windowStart, -1);
  }

  /**
   * Classifies a raw SSH request: {@code exec} of {@code scp -t|-f} is {@link ChannelKind#SCP};
   * otherwise {@link ChannelKind#of(String)}.
   */
  public static ChannelKind classify(String kind, String detail) {
    ChannelKind k = ChannelKind.of(kind);
    if (k == ChannelKind.EXEC && detail != null && SCP_EXEC.matcher(detail).find()) {
      return ChannelKind.SCP;
    }
    return k;
  }

  /** Decides a channel request; see {@link GuardRules} for the order. Offset is -1. */
  public GuardVerdict channelRequest(ChannelKind kind, String detail) {
    Objects.requireNonNull(kind, "kind");
    for (ChannelRule r : rules.channels()) {
      if (r.matches(kind, detail)) {
        if (!r.allow()) {
          return new GuardVerdict(GuardAction.BLOCK, r.id(), r.reason(), -1,
              detail == null ? kind.wireName() : truncate(detail));
        }
        if (kind == ChannelKind.EXEC && detail != null) {
          for (String l : detail.split("[\\r\\n]+")) {
            GuardVerdict v = judgeLine(new LineAssembler.Line(
                l.length() > MAX_LINE ? l.substring(0, MAX_LINE) : l,
                l.length() > MAX_LINE ? l.substring(l.length() - MAX_LINE) : null, "",
                List.of(), false, false, false), -1);
            if (v != null) {
              return new GuardVerdict(GuardAction.BLOCK, v.ruleId(), v.reason(), -1, v.match());
            }
          }
        }
        return new GuardVerdict(GuardAction.PASS, r.id(), r.reason(), -1, "");
      }
    }
    return new GuardVerdict(GuardAction.BLOCK, GuardRules.RULE_CHANNEL_DEFAULT,
        kind.wireName() + " is not allowed by any rule", -1, kind.wireName());
  }

  /** Vendor to device. */
  public GuardVerdict input(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    if (inputSticky != null) {
      return inputSticky;
    }
    long base = in.position;
    GuardVerdict line = null;
    for (int i = off; i < off + len && (line == null || line.action() != GuardAction.TERMINATE);
        i++) {
      LineAssembler.Line l = lines.push(data[i] & 0xFF);
      if (l != null) {
        GuardVerdict v = judgeLine(l, base + (i - off));
        if (v != null && (line == null || v.action().compareTo(line.action()) > 0)) {
          line = v;
        }
      }
    }
    GuardVerdict bytes = in.feed(data, off, len, null);
    GuardVerdict v = worst(line, bytes);
    if (v == null) {
      return GuardVerdict.pass(GuardRules.RULE_BYTES_CLEAN);
    }
    if (v.action() == GuardAction.BLOCK && !pty) {
      v = new GuardVerdict(GuardAction.TERMINATE, v.ruleId(),
          v.reason() + " (no terminal: the session ends)", v.offset(), v.match());
    }
    if (v.action() == GuardAction.TERMINATE) {
      inputSticky = v;
    }
    if (v == line) {
      lines.clear(); // a blocked line is abandoned (the gateway cancels it on the device)
    }
    return v;
  }

  /** Device stdout to vendor. */
  public GuardVerdict output(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    return verdict(out.feed(data, off, len, this));
  }

  /** Device stderr to vendor: detectors run on their own stream; volume caps count both. */
  public GuardVerdict error(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    return verdict(err.feed(data, off, len, this));
  }

  private static GuardVerdict verdict(GuardVerdict v) {
    return v == null ? GuardVerdict.pass(GuardRules.RULE_BYTES_CLEAN) : v;
  }

  /** The most severe; equal severity: the earlier offset. */
  private static GuardVerdict worst(GuardVerdict a, GuardVerdict b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int c = a.action().compareTo(b.action());
    if (c != 0) {
      return c > 0 ? a : b;
    }
    return b.offset() < a.offset() ? b : a;
  }

  private GuardVerdict judgeLine(LineAssembler.Line l, long offset) {
    GuardVerdict best = null;
    for (int r = 0; r < inputPatterns.size(); r++) {
      InputRule rule = rules.input().get(r);
      String match = find(inputPatterns.get(r), l.text());
      if (match == null && l.tail() != null) {
        match = find(inputPatterns.get(r), l.tail());
      }
      if (match == null && l.uncertain()) {
        // Conservative: the typed characters without the tab markers, and tab-completed command
        // words that may have become one of the rule's tools.
        match = find(inputPatterns.get(r), l.text().replace("\t", ""));
        if (match == null) {
          match = find(inputPatterns.get(r), l.typed());
        }
        for (String w : l.tabCommandWords()) {
          for (String tool : rule.toolNames()) {
            if (match == null && w.length() >= 2 && tool.startsWith(w)) {
              match = w + "<TAB> (may complete to " + tool + ")";
            }
          }
        }
      }
      if (match != null && (best == null || rule.action().compareTo(best.action()) > 0)) {
        best = new GuardVerdict(rule.action(), rule.id(), rule.reason(), offset, truncate(match));
      }
    }
    return best;
  }

  /**
   * The matched text cut to its command word (and a second word if it is a plain name, e.g. {@code
   * sudo scp}, {@code openssl enc}): enough to name the tool in an audit event, while options and
   * arguments (which may hold a typed password or token) stay only in the encrypted recording.
   */
  private static String find(Pattern p, String s) {
    Matcher m = p.matcher(s);
    if (!m.find()) {
      return null;
    }
    String[] words = m.group().replaceFirst("^[^\\w/.]+", "").split("\\s+", 3);
    boolean plain = words.length > 1 && words[1].matches("[\\w./]+");
    return plain ? words[0] + " " + words[1] : words[0];
  }

  private static String truncate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  /** Volume caps over output + error, each cap with its own fixed rate windows. */
  private synchronized GuardVerdict volume(long len) {
    if (volumeSticky != null) {
      return volumeSticky;
    }
    long now = clock.millis();
    long before = volumeTotal;
    volumeTotal += len;
    List<VolumeCap> caps = rules.output().volumeCaps();
    for (int c = 0; c < caps.size(); c++) {
      VolumeCap cap = caps.get(c);
      if (cap.maxBytes() > 0 && volumeTotal > cap.maxBytes()) {
        volumeSticky = new GuardVerdict(cap.action(), cap.id(),
            "output volume exceeds " + cap.maxBytes() + " bytes", Math.max(before, cap.maxBytes()),
            "volume.output");
        return volumeSticky;
      }
      if (windowStart[c] < 0 || now - windowStart[c] >= cap.rateWindow().toMillis()) {
        windowStart[c] = now;
        windowBytes[c] = 0;
      }
      windowBytes[c] += len;
      if (windowBytes[c] > cap.bytesPerWindow()) {
        volumeSticky = new GuardVerdict(cap.action(), cap.id(),
            "output rate exceeds " + cap.maxBytesPerSecond() + " bytes/s over "
                + cap.rateWindow().toSeconds() + " s",
            volumeTotal - 1, "volume.rate");
        return volumeSticky;
      }
    }
    return null;
  }

  /** Detectors of one stream. */
  private static final class ByteStream {
    private final DetectorRule[] rules;
    private final StreamDetector[] detectors;
    private long position;
    private GuardVerdict sticky;

    ByteStream(GuardRules g, Direction dir) {
      List<DetectorRule> rs = new ArrayList<>();
      List<StreamDetector> ds = new ArrayList<>();
      for (DetectorRule r : g.output().detectors()) {
        if (r.directions().contains(dir)) {
          rs.add(r);
          ds.add(ExportDetectors.create(r.detector(), g.output().tuning()));
        }
      }
      rules = rs.toArray(DetectorRule[]::new);
      detectors = ds.toArray(StreamDetector[]::new);
    }

    GuardVerdict feed(byte[] data, int off, int len, StreamGuard volumeOwner) {
      if (sticky != null) {
        return sticky;
      }
      GuardVerdict best = null;
      for (int d = 0; d < detectors.length; d++) {
        Optional<Detection> hit = detectors[d].feed(data, off, len);
        if (hit.isPresent() && (best == null || hit.get().offset() < best.offset())) {
          Detection h = hit.get();
          best = new GuardVerdict(rules[d].action(), rules[d].id(), h.reason(), h.offset(),
              h.detectorId());
        }
      }
      position += len;
      if (volumeOwner != null && best == null) {
        best = volumeOwner.volume(len);
      }
      if (best != null) {
        sticky = best;
      }
      return best;
    }
  }
}

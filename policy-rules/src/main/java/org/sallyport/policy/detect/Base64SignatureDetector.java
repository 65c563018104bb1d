package org.sallyport.policy.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * File signatures inside base64 text, at any of the three byte alignments and anywhere in a run
 * (not only at its start), so prefixing junk does not hide them.
 *
 * <p>Each signature (bytes plus a bit mask of the bits that must match) is compiled, per
 * alignment, into a sequence of allowed-character sets: a character whose six bits are only
 * partly covered by the signature allows every character that agrees on those bits. Sets that
 * allow all 64 characters are trimmed from both ends. The sequences are matched with a
 * shift-and (bitap) automaton packed into a few {@code long} words, one step per base64
 * character. CR and LF between characters are ignored (wrapped output: {@code base64}, MIME,
 * PEM); any other character, including space and tab, ends a run. Spaces deliberately break runs:
 * ignoring them would glue ordinary words and tokens into long pseudo-base64 runs and multiply
 * false positives, while an attacker able to insert spaces can insert any other separator too.
 * The URL-safe alphabet ({@code -}, {@code _}) is accepted too.
 *
 * <p>A signature only counts once the run continues for {@value #CONTINUATION} more base64
 * characters: an encoded file goes on for thousands, a short token that happens to contain
 * {@code /9j/} does not. The detection offset is that last required character.
 */
final class Base64SignatureDetector extends AbstractStreamDetector {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private static final byte BREAK = 0;
  private static final byte SKIP = 1;
  private static final byte SYMBOL = 2;
  private static final byte[] CLASS = new byte[256];

  private record Signature(String rule, String reason, int[] bytes, int[] masks) {
    /** Constrains only the bits of byte {@code index} in {@code mask} to {@code value}. */
    Signature withMask(int index, int mask, int value) {
      int[] b = bytes.clone();
      int[] m = masks.clone();
      b[index] = value & mask;
      m[index] = mask;
      return new Signature(rule, reason, b, m);
    }
  }

  private record Pattern(String rule, String reason, long[] sets) {}

  private static final int WORDS;
  private static final long[] TABLE; // [byte * WORDS + word]
  private static final long[] START;
  private static final long[] ACCEPT;
  private static final Pattern[] PATTERN_AT_BIT; // [word * 64 + bit] for accept bits
  /** Characters that can start some pattern; while no match is in progress only they matter. */
  private static final boolean[] STARTS = new boolean[256];

  static {
    for (int c = 0; c < 256; c++) {
      CLASS[c] = ALPHABET.indexOf(c) >= 0 || c == '-' || c == '_' ? SYMBOL : BREAK;
    }
    CLASS['\n'] = SKIP;
    CLASS['\r'] = SKIP;

    List<Pattern> patterns = new ArrayList<>();
    for (Signature s : signatures()) {
      for (int align = 0; align < 3; align++) {
        patterns.add(compile(s, align));
      }
    }
    // Pack patterns into 64-bit words without splitting one across words.
    List<List<Pattern>> words = new ArrayList<>();
    List<Pattern> current = new ArrayList<>();
    int used = 0;
    for (Pattern p : patterns) {
      if (used + p.sets.length > 64) {
        words.add(current);
        current = new ArrayList<>();
        used = 0;
      }
      current.add(p);
      used += p.sets.length;
    }
    words.add(current);
    WORDS = words.size();
    TABLE = new long[256 * WORDS];
    START = new long[WORDS];
    ACCEPT = new long[WORDS];
    PATTERN_AT_BIT = new Pattern[WORDS * 64];
    for (int w = 0; w < WORDS; w++) {
      int bit = 0;
      for (Pattern p : words.get(w)) {
        START[w] |= 1L << bit;
        int last = bit + p.sets.length - 1;
        ACCEPT[w] |= 1L << last;
        PATTERN_AT_BIT[w * 64 + last] = p;
        for (int j = 0; j < p.sets.length; j++, bit++) {
          for (int v = 0; v < 64; v++) {
            if ((p.sets[j] >>> v & 1) != 0) {
              TABLE[ALPHABET.charAt(v) * WORDS + w] |= 1L << bit;
            }
          }
        }
      }
      for (int c : new int[] {'-', '_'}) {
        TABLE[c * WORDS + w] = TABLE[(c == '-' ? '+' : '/') * WORDS + w];
      }
    }
    for (int c = 0; c < 256; c++) {
      for (int w = 0; w < WORDS; w++) {
        STARTS[c] |= (TABLE[c * WORDS + w] & START[w]) != 0;
      }
    }
  }

  private static List<Signature> signatures() {
    int any = -1;
    return List.of(
        sig("image.jpeg", "JPEG signature in base64 (/9j/...)", 0xFF, 0xD8, 0xFF, any)
            .withMask(3, 0xC0, 0xC0),
        sig("image.png", "PNG signature in base64 (iVBORw0KGgo)", 0x89, 'P', 'N', 'G', 0x0D, 0x0A,
            0x1A, 0x0A),
        sig("image.gif", "GIF87a signature in base64 (R0lGOD)", 'G', 'I', 'F', '8', '7', 'a'),
        sig("image.gif", "GIF89a signature in base64 (R0lGOD)", 'G', 'I', 'F', '8', '9', 'a'),
        sig("image.bmp", "BMP header in base64 (Qk...)", 'B', 'M', any, any, any, any, 0, 0, 0, 0,
            any, any, 0, 0, any, 0, 0, 0),
        sig("image.tiff", "TIFF header in base64 (SUkq)", 'I', 'I', '*', 0),
        sig("image.tiff", "TIFF header in base64 (TU0AKg)", 'M', 'M', 0, '*'),
        sig("video.mp4", "ISO BMFF ftyp box in base64 (AAAA..ftyp)", 0, 0, 0, any, 'f', 't',
            'y', 'p'),
        sig("archive.gzip", "gzip header in base64 (H4sI)", 0x1F, 0x8B, 0x08, any)
            .withMask(3, 0xE0, 0x00),
        sig("archive.zip", "zip local header in base64 (UEsDB)", 'P', 'K', 3, 4),
        sig("archive.tar", "tar ustar magic in base64", 'u', 's', 't', 'a', 'r', 0),
        sig("archive.tar", "GNU tar ustar magic in base64", 'u', 's', 't', 'a', 'r', ' ', ' ', 0));
  }

  private static Signature sig(String rule, String reason, int... bytes) {
    int[] masks = new int[bytes.length];
    int[] values = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      masks[i] = bytes[i] < 0 ? 0 : 0xFF;
      values[i] = bytes[i] < 0 ? 0 : bytes[i];
    }
    return new Signature("base64." + rule, reason, values, masks);
  }

  /** Compiles a signature preceded by {@code align} free bytes into character sets. */
  private static Pattern compile(Signature s, int align) {
    int n = align + s.bytes.length;
    int chars = (n + 2) / 3 * 4;
    long[] sets = new long[chars];
    int first = -1;
    int last = -1;
    for (int k = 0; k < chars; k++) {
      int reqMask = 0;
      int reqVal = 0;
      for (int j = 0; j < 6; j++) {
        int p = 6 * k + j;
        int byteIndex = p / 8 - align;
        if (byteIndex < 0 || byteIndex >= s.bytes.length) {
          continue;
        }
        int bitInByte = 7 - p % 8;
        if ((s.masks[byteIndex] >>> bitInByte & 1) != 0) {
          reqMask |= 1 << (5 - j);
          reqVal |= (s.bytes[byteIndex] >>> bitInByte & 1) << (5 - j);
        }
      }
      for (int v = 0; v < 64; v++) {
        if ((v & reqMask) == reqVal) {
          sets[k] |= 1L << v;
        }
      }
      if (reqMask != 0) {
        if (first < 0) {
          first = k;
        }
        last = k;
      }
    }
    return new Pattern(s.rule, s.reason, java.util.Arrays.copyOfRange(sets, first, last + 1));
  }

  /** Base64 characters that must follow a signature in the same run. */
  static final int CONTINUATION = 16;

  private final long[] state = new long[WORDS];
  private Pattern pending;
  private int pendingCount;
  /** True while some automaton word may be non-zero. */
  private boolean live;

  Base64SignatureDetector() {
    super("base64");
  }

  /** Number of 64-bit automaton words (for diagnostics and tests). */
  static int words() {
    return WORDS;
  }

  /**
   * Fewest bytes (CR/LF included) a run must span before any signature can complete in it: the
   * shortest pattern plus {@link #CONTINUATION}. Shorter runs (ordinary words) are skipped with
   * one table load per byte and replayed through the automaton only once they reach this length.
   */
  static final int MIN_RUN;
  /** 0 for bytes that end a run, -1 (all bits) otherwise: {@code run = (run + 1) & KEEP[c]}. */
  private static final int[] KEEP = new int[256];

  static {
    int shortest = Integer.MAX_VALUE;
    for (Pattern p : PATTERN_AT_BIT) {
      if (p != null) {
        shortest = Math.min(shortest, p.sets.length);
      }
    }
    MIN_RUN = shortest + CONTINUATION;
    for (int c = 0; c < 256; c++) {
      KEEP[c] = CLASS[c] == BREAK ? 0 : -1;
    }
  }

  private static final long SPACES = Swar.broadcast(' ');

  /**
   * NUL (and 0x01, which the SWAR test may flag right after a NUL) end runs, so words of binary
   * padding or zero fill are skipped eight bytes at a time like words holding a space.
   */
  private static final boolean NUL_ENDS_RUNS = KEEP[0] == 0 && KEEP[1] == 0;

  /** The last {@link #MIN_RUN} bytes of earlier chunks, for the replay. */
  private final byte[] tail = new byte[MIN_RUN];
  private long tailCount;
  /** Bytes since the last run-ending byte (fast mode), saturating at {@link #MIN_RUN}. */
  private int run;
  /** True while the automaton follows the current run byte by byte. */
  private boolean exact;

  @Override
  protected int scan(byte[] data, int from, int to, long streamOffset) {
    int i = from;
    int hitAt = -1;
    while (i < to && hitAt < 0) {
      if (!exact) {
        int r = run;
        final int[] keep = KEEP;
        while (i < to) {
          if (r + 8 < MIN_RUN && i + 8 <= to) {
            // Eight bytes at once when they hold a space (or a '!' right after one, also a
            // run-ending byte, see Swar): no run in them can reach MIN_RUN, and at most the bytes
            // after the last one flagged continue into the next word. That bound may exceed the
            // true run length; the replay below then starts earlier, at a run-ending byte, which
            // resets the automaton exactly as it would have been.
            long w = Swar.load(data, i);
            long z = Swar.zeros(w ^ SPACES) | (NUL_ENDS_RUNS ? Swar.zeros(w) : 0L);
            if (z != 0) {
              r = 7 - ((63 - Long.numberOfLeadingZeros(z)) >>> 3);
              i += 8;
              continue;
            }
          }
          r = (r + 1) & keep[data[i] & 0xFF];
          if (r >= MIN_RUN) {
            break;
          }
          i++;
        }
        run = r;
        if (i == to) {
          break;
        }
        // The run [i - r + 1, i] may now hold a signature: replay its earlier bytes (some perhaps
        // from earlier chunks; none can complete a detection, the run being too short), then
        // follow it exactly from i on.
        exact = true;
        for (int back = r - 1; back >= 1; back--) {
          int k = i - back;
          int c = k >= from ? data[k] & 0xFF : tail[(int) ((tailCount - (from - k)) % MIN_RUN)] & 0xFF;
          step(c);
        }
      }
      for (; i < to; i++) {
        int c = data[i] & 0xFF;
        int k = step(c);
        if (k == 1) {
          hitAt = i;
          break;
        }
        if (k == 2) { // the run ended: back to skipping
          run = 0;
          exact = false;
          i++;
          break;
        }
      }
    }
    int keepFrom = Math.max(from, to - MIN_RUN);
    for (int k = keepFrom; k < to; k++) {
      tail[(int) (tailCount++ % MIN_RUN)] = data[k];
    }
    return hitAt < 0 ? -1 : hit(hitAt, pending.rule, pending.reason);
  }

  /** One byte through the automaton: 1 if it completed a detection, 2 if it ended the run, else 0. */
  private int step(int c) {
    final long[] s = state;
    final int words = WORDS;
    byte k = CLASS[c];
    if (k == SYMBOL) {
      if (!live && pending == null && !STARTS[c]) {
        return 0; // nothing in progress and c starts nothing: the state stays all-zero
      }
      int base = c * words;
      long accepted = 0;
      long any = 0;
      for (int w = 0; w < words; w++) {
        long v = ((s[w] << 1) | START[w]) & TABLE[base + w];
        s[w] = v;
        any |= v;
        accepted |= v & ACCEPT[w];
      }
      live = any != 0;
      if (pending != null) {
        if (++pendingCount == CONTINUATION) {
          return 1;
        }
      } else if (accepted != 0) {
        pending = accepted();
        pendingCount = 0;
      }
      return 0;
    }
    if (k == BREAK) {
      if (live || pending != null) {
        java.util.Arrays.fill(s, 0L);
        live = false;
        pending = null;
      }
      return 2;
    }
    return 0;
  }

  private Pattern accepted() {
    for (int w = 0; w < WORDS; w++) {
      long a = state[w] & ACCEPT[w];
      if (a != 0) {
        return PATTERN_AT_BIT[w * 64 + Long.numberOfTrailingZeros(a)];
      }
    }
    throw new IllegalStateException("no accepted pattern");
  }

  @Override
  protected void resetState() {
    java.util.Arrays.fill(state, 0L);
    pending = null;
    pendingCount = 0;
    live = false;
    run = 0;
    exact = false;
    tailCount = 0;
  }
}

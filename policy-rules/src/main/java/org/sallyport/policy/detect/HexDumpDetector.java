package org.sallyport.policy.detect;

/**
 * Hex dumps of binary files ({@code xxd}, {@code xxd -p}, {@code xxd -i}, {@code od -t x1},
 * {@code od -x}, {@code hexdump}, {@code hexdump -C}): hex digit groups are turned back into bytes
 * and run through the same signature matcher as the raw stream.
 *
 * <p>A line counts as a dump when it starts with an offset (4-16 hex digits then {@code :}, or
 * 6-16 hex digits then a space), with a space ({@code od -An}, {@code xxd -i}), or consists only of
 * hex digits ({@code xxd -p}). In the data part only tokens of 2, 4 or 8 hex digits (optionally
 * {@code 0x}-prefixed, separated by spaces or commas) count; anything else, or a double space after
 * an {@code xxd} offset, ends the data part of that line (ASCII columns). Bytes continue across
 * lines. Because {@code od -x} and {@code hexdump} print little-endian 16-bit words, a second
 * matcher sees every multi-byte group byte-reversed.
 */
final class HexDumpDetector extends AbstractStreamDetector {
  private static final String PREFIX = "hexdump.";

  private static final int LINE_START = 0;
  private static final int FIRST = 1;
  private static final int DATA = 2;
  private static final int PLAIN = 3;
  private static final int SKIP = 4;

  private static final byte[] NIBBLE = new byte[256];

  static {
    java.util.Arrays.fill(NIBBLE, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      NIBBLE[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      NIBBLE[c] = (byte) (c - 'a' + 10);
      NIBBLE[c - 32] = (byte) (c - 'a' + 10);
    }
  }

  private final MagicMatcher direct = new MagicMatcher();
  private final MagicMatcher swapped = new MagicMatcher();
  private final int[] group = new int[4];

  private int mode;
  private boolean xxd;
  private boolean lastSpace;
  private int digits;
  private long firstBits;
  private int hi;
  private boolean pending;
  private int groupLen;
  private boolean zeroLead;
  private int found;

  HexDumpDetector() {
    super("hexdump");
    resetState();
  }

  @Override
  protected int scan(byte[] data, int from, int to, long streamOffset) {
    for (int i = from; i < to; i++) {
      if (mode == SKIP) { // fast path: most text lines are skipped after their first bytes
        i = Swar.indexOfEol(data, i, to);
        if (i < to) {
          mode = LINE_START;
        }
        continue;
      }
      int c = data[i] & 0xFF;
      if (step(c)) {
        return hit(i, PREFIX + MagicMatcher.rule(found), "hex dump of " + MagicMatcher.reason(found));
      }
    }
    return -1;
  }

  private boolean step(int c) {
    int nib = NIBBLE[c];
    boolean eol = c == '\n' || c == '\r';
    switch (mode) {
      case LINE_START -> {
        if (nib >= 0) {
          mode = FIRST;
          digits = 1;
          firstBits = nib;
        } else if (c == ' ') {
          startData(false);
        } else if (!eol) {
          mode = SKIP;
        }
      }
      case FIRST -> {
        if (nib >= 0) {
          if (digits < 16) {
            firstBits = (firstBits << 4) | nib;
            digits++;
          } else { // too long for an offset: xxd -p; the first 16 digits were data
            mode = PLAIN;
            for (int shift = 56; shift >= 0; shift -= 8) {
              if (pushDirect((int) (firstBits >>> shift) & 0xFF)) {
                return true;
              }
            }
            hi = nib;
            pending = true;
          }
        } else if (c == ':' && digits >= 4) {
          startData(true);
        } else if (c == ' ' && digits >= 6) {
          startData(false);
        } else if (eol) {
          mode = LINE_START;
          if ((digits & 1) == 0) { // a short xxd -p line
            for (int shift = (digits - 2) * 4; shift >= 0; shift -= 8) {
              if (pushDirect((int) (firstBits >>> shift) & 0xFF)) {
                return true;
              }
            }
          }
        } else {
          mode = SKIP;
        }
      }
      case PLAIN -> {
        if (nib >= 0) {
          if (pending) {
            pending = false;
            return pushDirect((hi << 4) | nib);
          }
          hi = nib;
          pending = true;
        } else {
          mode = eol ? LINE_START : SKIP;
        }
      }
      case DATA -> {
        return data(c, nib, eol);
      }
      default -> mode = eol ? LINE_START : SKIP;
    }
    return false;
  }

  private void startData(boolean xxdOffset) {
    mode = DATA;
    xxd = xxdOffset;
    lastSpace = false;
    digits = 0;
    pending = false;
    groupLen = 0;
  }

  private boolean data(int c, int nib, boolean eol) {
    if (nib >= 0) {
      if (digits == 8) {
        mode = SKIP;
        return false;
      }
      zeroLead = digits == 0 && nib == 0;
      digits++;
      lastSpace = false;
      if (pending) {
        pending = false;
        int b = (hi << 4) | nib;
        group[groupLen++] = b;
        return pushDirect(b);
      }
      hi = nib;
      pending = true;
      return false;
    }
    if (c == 'x' && digits == 1 && zeroLead) { // 0x prefix (xxd -i)
      digits = 0;
      pending = false;
      return false;
    }
    boolean separator = c == ' ' || c == ',' || c == '\t';
    if (!separator && !eol) {
      mode = SKIP;
      return false;
    }
    boolean hadToken = digits > 0;
    boolean valid = digits == 2 || digits == 4 || digits == 8;
    boolean hitSwapped = false;
    if (valid) {
      for (int g = groupLen - 1; g >= 0 && !hitSwapped; g--) {
        hitSwapped = pushSwapped(group[g]);
      }
    }
    digits = 0;
    pending = false;
    groupLen = 0;
    if (eol) {
      mode = LINE_START;
    } else if (hadToken && !valid) {
      mode = SKIP;
    } else if (xxd && c == ' ' && lastSpace) {
      mode = SKIP; // xxd: two spaces before the ASCII column
    } else {
      lastSpace = c == ' ';
    }
    return hitSwapped;
  }

  private boolean pushDirect(int b) {
    int code = direct.push(b);
    if (code != MagicMatcher.NONE) {
      found = code;
      return true;
    }
    return false;
  }

  private boolean pushSwapped(int b) {
    int code = swapped.push(b);
    if (code != MagicMatcher.NONE) {
      found = code;
      return true;
    }
    return false;
  }

  @Override
  protected void resetState() {
    direct.reset();
    swapped.reset();
    mode = LINE_START;
    xxd = false;
    lastSpace = false;
    digits = 0;
    firstBits = 0;
    hi = 0;
    pending = false;
    groupLen = 0;
    zeroLead = false;
    found = MagicMatcher.NONE;
  }
}

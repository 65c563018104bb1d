package org.sallyport.policy.detect;

/**
 * uuencode and {@code uuencode -m} output: a {@code begin <mode> <name>} (or
 * {@code begin-base64 <mode> <name>}) line followed by a well-formed first body line. Fires on the
 * byte that completes that body line (uuencode) or its 16th base64 character.
 */
final class UuencodeDetector extends AbstractStreamDetector {
  static final String RULE = "uuencode";
  private static final String REASON = "uuencode 'begin <mode> <name>' followed by an encoded line";
  private static final String REASON_B64 =
      "uuencode -m 'begin-base64 <mode> <name>' followed by base64 line";

  private static final long BEGIN = 0x0A626567696EL; // "\nbegin"
  private static final byte[] DASH_BASE64 = "-base64".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int MAX_NAME = 1024;
  private static final int BASE64_EVIDENCE = 16;

  private static final int SCAN = 0;
  private static final int AFTER_BEGIN = 1;
  private static final int DASH = 2;
  private static final int MODE = 3;
  private static final int NAME = 4;
  private static final int BODY_START = 5;
  private static final int UU_LINE = 6;
  private static final int B64_LINE = 7;

  private long window;
  /** Bytes since the last line end, saturating at 6. */
  private int sinceEol;
  private int state;
  private int count;
  private int expected;
  private boolean base64;

  UuencodeDetector() {
    super(RULE);
    resetState();
  }

  @Override
  protected int scan(byte[] data, int from, int to, long streamOffset) {
    long w = window;
    int since = sinceEol;
    for (int i = from; i < to; i++) {
      if (state == SCAN && since >= 6) {
        // "\nbegin" needs a line end 5 bytes back: skip to the next one. The window goes stale
        // meanwhile, but its low 6 bytes are exact again 5 bytes after that line end.
        i = Swar.indexOfEol(data, i, to);
        if (i == to) {
          break;
        }
      }
      int b = data[i] & 0xFF;
      boolean eol = b == '\n' || b == '\r';
      w = (w << 8) | (eol ? '\n' : b);
      since = eol ? 0 : Math.min(since + 1, 6);
      if ((w & 0xFFFFFFFFFFFFL) == BEGIN) {
        state = AFTER_BEGIN;
        base64 = false;
        continue;
      }
      if (state != SCAN && step(b, eol)) {
        window = w;
        sinceEol = since;
        return hit(i, RULE, base64 ? REASON_B64 : REASON);
      }
    }
    window = w;
    sinceEol = since;
    return -1;
  }

  private boolean step(int b, boolean eol) {
    switch (state) {
      case AFTER_BEGIN -> {
        if (b == ' ') {
          state = MODE;
          count = 0;
        } else if (b == '-') {
          state = DASH;
          count = 1;
        } else {
          state = SCAN;
        }
      }
      case DASH -> {
        if (b == DASH_BASE64[count]) {
          if (++count == DASH_BASE64.length) {
            base64 = true;
            state = AFTER_BEGIN;
          }
        } else {
          state = SCAN;
        }
      }
      case MODE -> {
        if (b >= '0' && b <= '7' && count < 4) {
          count++;
        } else if (b == ' ' && count >= 3) {
          state = NAME;
          count = 0;
        } else {
          state = SCAN;
        }
      }
      case NAME -> {
        if (eol) {
          state = count > 0 ? BODY_START : SCAN;
        } else if (++count > MAX_NAME) {
          state = SCAN;
        }
      }
      case BODY_START -> {
        if (!eol) {
          count = 0;
          if (base64) {
            state = isBase64(b) ? B64_LINE : SCAN;
            count = 1;
          } else if (b > 0x20 && b <= 0x20 + 45) {
            expected = ((b - 0x20 + 2) / 3) * 4;
            state = UU_LINE;
          } else {
            state = SCAN;
          }
        }
      }
      case UU_LINE -> {
        if (b >= 0x20 && b <= 0x60) {
          return ++count == expected;
        }
        state = SCAN;
      }
      case B64_LINE -> {
        if (isBase64(b)) {
          return ++count == BASE64_EVIDENCE;
        }
        state = SCAN;
      }
      default -> state = SCAN;
    }
    return false;
  }

  private static boolean isBase64(int b) {
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
        || b == '+' || b == '/';
  }

  @Override
  protected void resetState() {
    window = '\n';
    sinceEol = 0;
    state = SCAN;
    count = 0;
    expected = 0;
    base64 = false;
  }
}

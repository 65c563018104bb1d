package org.sallyport.policy.detect;

/**
 * MJPEG over HTTP: a {@code multipart/x-mixed-replace} content type anywhere, or a
 * {@code Content-Type: image/jpeg} part header shortly after a {@code --boundary} line.
 * Case-insensitive; CR and LF both end a line.
 */
final class MjpegMultipartDetector extends AbstractStreamDetector {
  static final String RULE = "video.mjpeg";
  private static final String REASON_MIXED = "multipart/x-mixed-replace (MJPEG stream)";
  private static final String REASON_PART = "multipart part with Content-Type: image/jpeg";
  /** A part header follows its boundary line within this many bytes. */
  private static final int BOUNDARY_WINDOW = 512;

  private static final byte[] FOLD = new byte[256];
  private static final long TAIL_MIXED = pack("-replace");
  private static final long TAIL_JPEG = pack("age/jpeg");
  private static final byte[] HEAD_MIXED = "multipart/x-mixed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] HEAD_TYPE = "content-type:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  static {
    for (int b = 0; b < 256; b++) {
      FOLD[b] = (byte) (b >= 'A' && b <= 'Z' ? b + 32 : b == '\r' ? '\n' : b);
    }
  }

  private static final int SIZE = 64;
  private static final int MASK = SIZE - 1;
  private final byte[] ring = new byte[SIZE];
  private int pos;
  private long window;
  private long lastBoundary;

  MjpegMultipartDetector() {
    super(RULE);
    resetState();
  }

  private static long pack(String s) {
    long w = 0;
    for (int i = 0; i < s.length(); i++) {
      w = (w << 8) | s.charAt(i);
    }
    return w;
  }

  @Override
  protected int scan(byte[] data, int from, int to, long streamOffset) {
    long w = window;
    final byte[] fold = FOLD;
    int hitAt = -1;
    String reason = null;
    int since = sinceAnchor;
    for (int i = from; i < to; i++) {
      if (since >= 7) {
        // Every event needs a '-' or '/' among its last 8 bytes ("\n--", "-replace",
        // "age/jpeg"): skip whole words without one, then rebuild the window from the bytes.
        int start = i;
        while (i + 8 <= to) {
          long x = Swar.load(data, i);
          if ((Swar.zeros(x ^ DASHES) | Swar.zeros(x ^ SLASHES)) != 0) {
            break;
          }
          i += 8;
        }
        if (i > start) {
          w = 0;
          for (int k = i - 8; k < i; k++) {
            w = (w << 8) | (k >= from ? fold[data[k] & 0xFF] & 0xFF
                : ring[(pos - (from - k)) & MASK] & 0xFF);
          }
          if (i == to) {
            break;
          }
        }
      }
      int f = fold[data[i] & 0xFF] & 0xFF;
      since = f == '-' || f == '/' ? 0 : Math.min(since + 1, 8);
      w = (w << 8) | f;
      if ((w & 0xFFFFFF) == 0x0A2D2DL) { // "\n--"
        lastBoundary = streamOffset + (i - from);
      } else if (w == TAIL_MIXED || w == TAIL_JPEG) {
        // The look-back reads the chunk, and the ring of earlier chunks' last bytes before it.
        chunk = data;
        chunkFrom = from;
        chunkAt = i;
        boolean ok;
        if (w == TAIL_MIXED) {
          ok = endsWith(HEAD_MIXED, 8);
          reason = REASON_MIXED;
        } else {
          long here = streamOffset + (i - from);
          ok = lastBoundary >= 0 && here - lastBoundary <= BOUNDARY_WINDOW && contentTypeImage();
          reason = REASON_PART;
        }
        chunk = null;
        if (ok) {
          hitAt = i;
          break;
        }
      }
    }
    window = w;
    sinceAnchor = since;
    int end = hitAt >= 0 ? hitAt + 1 : to;
    for (int k = Math.max(from, end - SIZE); k < end; k++) {
      ring[pos++ & MASK] = fold[data[k] & 0xFF];
    }
    return hitAt >= 0 ? hit(hitAt, RULE, reason) : -1;
  }

  private static final long DASHES = Swar.broadcast('-');
  private static final long SLASHES = Swar.broadcast('/');
  /** Bytes since the last '-' or '/', saturating at 8. */
  private int sinceAnchor;

  private byte[] chunk;
  private int chunkFrom;
  private int chunkAt;

  /** Folded byte {@code back} positions before the latest one (0 = the latest). */
  private int at(int back) {
    int i = chunkAt - back;
    if (i >= chunkFrom) {
      return FOLD[chunk[i] & 0xFF] & 0xFF;
    }
    return ring[(pos - (chunkFrom - i)) & MASK] & 0xFF;
  }

  /** True if {@code head} ends {@code skip} bytes before the latest byte. */
  private boolean endsWith(byte[] head, int skip) {
    for (int j = 0; j < head.length; j++) {
      if (at(skip + head.length - 1 - j) != head[j]) {
        return false;
      }
    }
    return true;
  }

  /** The latest bytes are "age/jpeg"; check "content-type:" [ \t]* "im" before them. */
  private boolean contentTypeImage() {
    if (at(8) != 'm' || at(9) != 'i') {
      return false;
    }
    int back = 10;
    while (back < 20 && (at(back) == ' ' || at(back) == '\t')) {
      back++;
    }
    return back + HEAD_TYPE.length <= SIZE && endsWith(HEAD_TYPE, back);
  }

  @Override
  protected void resetState() {
    java.util.Arrays.fill(ring, (byte) 0);
    pos = 0;
    window = '\n'; // the stream starts at a line start
    sinceAnchor = 0;
    lastBoundary = -1;
  }
}

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
    for (int i = from; i < to; i++) {
      w = (w << 8) | (fold[data[i] & 0xFF] & 0xFF);
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
    int end = hitAt >= 0 ? hitAt + 1 : to;
    for (int k = Math.max(from, end - SIZE); k < end; k++) {
      ring[pos++ & MASK] = fold[data[k] & 0xFF];
    }
    return hitAt >= 0 ? hit(hitAt, RULE, reason) : -1;
  }

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
    lastBoundary = -1;
  }
}

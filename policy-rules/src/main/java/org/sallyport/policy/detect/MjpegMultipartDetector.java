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
    for (int i = from; i < to; i++) {
      byte f = FOLD[data[i] & 0xFF];
      ring[pos++ & MASK] = f;
      w = (w << 8) | (f & 0xFF);
      if ((w & 0xFFFFFF) == 0x0A2D2DL) { // "\n--"
        lastBoundary = streamOffset + (i - from);
      } else if (w == TAIL_MIXED) {
        if (endsWith(HEAD_MIXED, 8)) {
          window = w;
          return hit(i, RULE, REASON_MIXED);
        }
      } else if (w == TAIL_JPEG) {
        long here = streamOffset + (i - from);
        if (lastBoundary >= 0 && here - lastBoundary <= BOUNDARY_WINDOW && contentTypeImage()) {
          window = w;
          return hit(i, RULE, REASON_PART);
        }
      }
    }
    window = w;
    return -1;
  }

  private int at(int back) {
    return ring[(pos - 1 - back) & MASK] & 0xFF;
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

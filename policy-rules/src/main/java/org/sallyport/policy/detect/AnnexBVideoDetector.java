package org.sallyport.policy.detect;

/**
 * H.264/H.265 Annex-B elementary streams: several start codes ({@code 00 00 01} or
 * {@code 00 00 00 01}) each followed by a plausible NAL unit header, close together, at least one
 * of them a parameter set (SPS/PPS/VPS). A single start code is common in ordinary binaries; a key
 * frame's parameter sets followed by its slice are not.
 */
final class AnnexBVideoDetector extends AbstractStreamDetector {
  static final String RULE = "video.annexb";
  private static final String REASON =
      "H.264/H.265 Annex-B start codes with NAL headers, including a parameter set";

  private static final byte NOT_NAL = 0;
  private static final byte NAL = 1;
  private static final byte PARAMETER_SET = 2;
  private static final byte[] HEADER = new byte[256];

  static {
    for (int b = 0; b < 0x80; b++) { // forbidden_zero_bit clear
      int nri = (b >> 5) & 3;
      int avcType = b & 0x1F;
      byte avc =
          switch (avcType) {
            case 1 -> NAL;
            case 5 -> nri != 0 ? NAL : NOT_NAL;
            case 6, 9 -> nri == 0 ? NAL : NOT_NAL;
            case 7, 8 -> nri != 0 ? PARAMETER_SET : NOT_NAL;
            default -> NOT_NAL;
          };
      byte hevc = NOT_NAL;
      if ((b & 1) == 0) { // nuh_layer_id high bit clear
        int type = b >> 1;
        if ((type >= 1 && type <= 9) || (type >= 16 && type <= 21) || type == 35
            || type == 39 || type == 40) {
          hevc = NAL;
        } else if (type >= 32 && type <= 34) {
          hevc = PARAMETER_SET;
        }
      }
      HEADER[b] = (byte) Math.max(avc, hevc);
    }
  }

  private final int needed;
  private final int window;
  private final long[] starts; // offsets of the previous needed-1 plausible NAL headers
  private int zeros;
  private boolean afterStartCode;
  private int seen;
  private long lastParameterSet;

  AnnexBVideoDetector(int needed, int window) {
    super(RULE);
    this.needed = needed;
    this.window = window;
    this.starts = new long[needed - 1];
    resetState();
  }

  @Override
  protected int scan(byte[] data, int from, int to, long streamOffset) {
    for (int i = from; i < to; i++) {
      if (zeros == 0 && !afterStartCode) { // only a zero byte can start a start code
        i = Swar.indexOfZero(data, i, to);
        if (i == to) {
          break;
        }
      }
      int b = data[i] & 0xFF;
      if (afterStartCode) {
        afterStartCode = false;
        byte kind = HEADER[b];
        if (kind != NOT_NAL && nal(streamOffset + (i - from), kind)) {
          return hit(i, RULE, REASON);
        }
      }
      if (b == 0) {
        if (zeros < 3) {
          zeros++;
        }
      } else {
        afterStartCode = b == 1 && zeros >= 2;
        zeros = 0;
      }
    }
    return -1;
  }

  /** Records a plausible NAL header at {@code offset}; true if the evidence is now complete. */
  private boolean nal(long offset, byte kind) {
    if (kind == PARAMETER_SET) {
      lastParameterSet = offset;
    }
    int k = starts.length;
    if (seen >= k) {
      long oldest = starts[seen % k];
      if (offset - oldest < window && lastParameterSet >= oldest) {
        return true;
      }
    }
    starts[seen % k] = offset;
    seen++;
    return false;
  }

  @Override
  protected void resetState() {
    zeros = 0;
    afterStartCode = false;
    seen = 0;
    lastParameterSet = -1;
  }
}

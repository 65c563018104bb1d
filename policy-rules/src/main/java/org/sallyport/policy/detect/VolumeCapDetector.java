package org.sallyport.policy.detect;

/** Fires on the first byte beyond the configured output volume (offset == the cap). */
final class VolumeCapDetector extends AbstractStreamDetector {
  static final String RULE = "volume.output";
  private final long max;
  private final String reason;

  VolumeCapDetector(long max) {
    super(RULE);
    this.max = max;
    this.reason = "output volume exceeds " + max + " bytes";
  }

  @Override
  protected int scan(byte[] data, int from, int to, long streamOffset) {
    long end = streamOffset + (to - from);
    if (end <= max) {
      return -1;
    }
    return hit(from + (int) (max - streamOffset), RULE, reason);
  }

  @Override
  protected void resetState() {}
}

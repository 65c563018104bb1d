package org.sallyport.policy.detect;

/** Raw binary file signatures (images, MP4/MOV, archives) anywhere in the stream. */
final class BinarySignatureDetector extends AbstractStreamDetector {
  private final MagicMatcher matcher = new MagicMatcher();

  BinarySignatureDetector() {
    super("binary");
  }

  @Override
  protected int scan(byte[] data, int from, int to, long streamOffset) {
    for (int i = from; i < to; i++) {
      int code = matcher.push(data[i] & 0xFF);
      if (code != MagicMatcher.NONE) {
        return hit(i, MagicMatcher.rule(code), MagicMatcher.reason(code));
      }
    }
    return -1;
  }

  @Override
  protected void resetState() {
    matcher.reset();
  }
}

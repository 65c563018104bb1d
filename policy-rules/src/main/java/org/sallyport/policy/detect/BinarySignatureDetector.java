package org.sallyport.policy.detect;

/** Raw binary file signatures (images, MP4/MOV, archives) anywhere in the stream. */
final class BinarySignatureDetector extends AbstractStreamDetector {
  private final MagicMatcher matcher = new MagicMatcher();

  BinarySignatureDetector() {
    super("binary");
  }

  @Override
  protected int scan(byte[] data, int from, int to, long streamOffset) {
    int i = matcher.scan(data, from, to);
    if (i >= 0) {
      int code = matcher.found();
      return hit(i, MagicMatcher.rule(code), MagicMatcher.reason(code));
    }
    return -1;
  }

  @Override
  protected void resetState() {
    matcher.reset();
  }
}

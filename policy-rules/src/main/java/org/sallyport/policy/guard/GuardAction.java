package org.sallyport.policy.guard;

/** What a guard rule does when it matches. */
public enum GuardAction {
  /** The bytes go through. */
  PASS,
  /** The chunk (or the command line) is dropped; the session goes on. */
  BLOCK,
  /** The session ends before the triggering bytes are forwarded. */
  TERMINATE;

  /** The more severe of two actions (TERMINATE over BLOCK over PASS). */
  public GuardAction max(GuardAction other) {
    return compareTo(other) >= 0 ? this : other;
  }
}

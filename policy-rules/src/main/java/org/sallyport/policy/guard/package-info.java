/**
 * The live-session guard: immutable rules ({@link org.sallyport.policy.guard.GuardRules}) for
 * channel requests, typed command lines and output bytes, and the per-session
 * {@link org.sallyport.policy.guard.StreamGuard} that applies them to a session's bytes with
 * bounded memory.
 */
package org.sallyport.policy.guard;

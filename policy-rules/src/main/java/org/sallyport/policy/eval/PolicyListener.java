package org.sallyport.policy.eval;

import org.sallyport.policy.load.PolicyLoadException;

/**
 * Told about every reload attempt of a {@link PolicyStore}; the broker turns these into the audit events
 * {@code policy.reloaded} and {@code policy.rejected}. Called on the thread that called
 * {@link PolicyStore#refresh()}.
 */
public interface PolicyListener {
    /** A changed policy validated and is now in force. */
    void reloaded(Policy previous, Policy current);

    /** A changed policy did not validate; {@code inForce} (the previous one) stays. */
    void rejected(PolicyLoadException problem, Policy inForce);
}

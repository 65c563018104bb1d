package org.sallyport.broker.store;

/**
 * The broker's durable state. All reads and writes go through {@link #inTransaction}: either all of a
 * unit of work commits (state change and its audit events), or none of it does.
 *
 * <p>Restrictions: blocking; never call from an event-loop thread.
 */
public interface Store extends AutoCloseable {

    /**
     * Runs {@code work} in one serialisable-enough transaction (row locks on what it changes, and on the
     * audit chain head when it appends). A {@link RuntimeException} from {@code work} rolls back and is
     * rethrown unchanged; a database failure is thrown as
     * {@link org.sallyport.broker.error.UnavailableException}.
     */
    <T> T inTransaction(TxWork<T> work);

    /** True when the database answers a trivial query within a short time. */
    boolean ping();

    /** Human description of the backing database, without credentials, e.g. "H2 file /data/sallyport". */
    String describe();

    @Override
    void close();

    @FunctionalInterface
    interface TxWork<T> {
        T run(StoreTx tx);
    }
}

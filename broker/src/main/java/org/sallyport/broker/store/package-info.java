/**
 * Persistence behind one narrow interface: requests, approvals, grants and the audit chain, written
 * together in one transaction so that no state change exists without its audit event. JDBC with Flyway
 * migrations; embedded H2 by default, PostgreSQL by URL.
 *
 * <p>Threading: every method blocks. Callers on a Vert.x event loop must hop to a virtual thread or a
 * worker first.
 */
package org.sallyport.broker.store;

/**
 * The access-request workflow: admission, separation of duties, approvals, grants, cancellation,
 * revocation and expiry. Plain Java over the {@link org.sallyport.broker.store.Store}; every state change
 * and every security-relevant refusal is an audit event.
 */
package org.sallyport.broker.workflow;

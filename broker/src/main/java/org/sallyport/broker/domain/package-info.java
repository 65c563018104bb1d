/** Sallyport's domain: who asks for which device, who decided, and what the decision grants. Plain records, no I/O. */
package org.sallyport.broker.domain;

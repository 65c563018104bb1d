/** The vendor compliance report for inspectors: built from the audit chain and sessions of a period, as HTML or PDF. */
package org.sallyport.broker.report;

/** The values policy decisions are made over and the decisions themselves: plain records, no behaviour beyond checks. */
package org.sallyport.policy.model;

/**
 * Evaluation: a loaded {@link org.sallyport.policy.eval.Policy} decides requests, channels, input lines,
 * output settings and HTTP exchanges; {@link org.sallyport.policy.eval.PolicyStore} keeps the policy in force
 * and swaps it only for one that validates.
 */
package org.sallyport.policy.eval;

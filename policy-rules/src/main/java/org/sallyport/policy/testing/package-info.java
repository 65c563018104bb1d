/** The policy test runner behind {@code sallyport policy test DIR}: YAML cases, context in, decision and rule out. */
package org.sallyport.policy.testing;

/**
 * The broker's side of policy-rules: which policy is in force (a directory that hot-reloads, or the bundled
 * camera-maintenance default), reload outcomes as audit events, and translation of broker domain objects
 * into the policy's context.
 */
package org.sallyport.broker.policy;

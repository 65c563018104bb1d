/**
 * The SSH gateway: stock OpenSSH clients authenticate with short-lived certificates from the broker's
 * user CA, name the target in the user name ({@code USER+TARGET}), and reach the device only through a
 * brokered channel that checks the grant, injects the device credential, guards and records every byte
 * before forwarding it, and ends at the grant's notAfter.
 *
 * <p>Threading: MINA's I/O threads never block on the store or the recorder; each brokered channel runs
 * its set-up and its two pumps on virtual threads.
 */
package org.sallyport.broker.gateway;

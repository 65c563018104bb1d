/** The one {@code sallyport} command (picocli): server commands here, client commands in {@code client}. */
package org.sallyport.broker.cli;

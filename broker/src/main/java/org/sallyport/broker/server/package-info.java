/** Assembles and runs one broker: keys, store, identity, workflow, audit and the HTTP listener. */
package org.sallyport.broker.server;

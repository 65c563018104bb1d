/**
 * The kinds of failure the broker reports, one exception type each; mapped in one place to
 * {@code application/problem+json} (RFC 9457) over HTTP and to exit codes in the CLI.
 */
package org.sallyport.broker.error;

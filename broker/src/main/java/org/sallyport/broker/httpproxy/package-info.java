/**
 * The HTTP proxy to device web UIs: vendors' browsers reach a camera's admin UI only through a live HTTP session
 * under an approved grant; the broker injects the device credential, asks the {@link
 * org.sallyport.broker.httpproxy.HttpGuard} about every request and every response body (media detectors), and
 * records every exchange byte for byte before anything reaches the browser.
 */
package org.sallyport.broker.httpproxy;

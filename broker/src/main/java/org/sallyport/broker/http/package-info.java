/**
 * The REST API and operational endpoints on Vert.x Web. Handlers only translate HTTP to service calls
 * (run off the event loop) and results to JSON; one failure handler maps typed exceptions to
 * {@code application/problem+json}.
 */
package org.sallyport.broker.http;

/**
 * The web portal for supervisors, inspectors and vendors: cookie sessions with CSRF protection, the HTML
 * pages (rendered as shells that the bundled script fills from the JSON API) and the portal's live
 * streams (pending queue, active sessions) and recording playback.
 */
package org.sallyport.broker.portal;

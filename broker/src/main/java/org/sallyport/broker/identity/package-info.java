/**
 * Who is calling: one {@link org.sallyport.broker.identity.Identity} seam. Local accounts (Argon2id,
 * short-lived signed tokens) are the embedded default; Keycloak OIDC plugs into the same seam.
 */
package org.sallyport.broker.identity;

/** Device credentials, encrypted at rest and handed only to the upstream connector; never returned, printed or logged. */
package org.sallyport.broker.credentials;

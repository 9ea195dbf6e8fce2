/** Implementation details of the TLS transport: DER re-encoding of traditional PEM keys. */
package org.fingerpost.transport.tls.internal;

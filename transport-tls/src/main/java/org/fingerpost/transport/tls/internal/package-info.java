/** Implementation details of the TLS transport: DER re-encoding of traditional PEM keys, failure texts. */
package org.fingerpost.transport.tls.internal;

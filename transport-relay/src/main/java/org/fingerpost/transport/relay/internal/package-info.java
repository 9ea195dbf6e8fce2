/** Implementation details of the relay transport; not API. */
package org.fingerpost.transport.relay.internal;

package org.fingerpost.transport.finger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The one wording of TLS failures, both views; the real handshakes behind these texts are in {@code
 * transport-tls}'s {@code TlsHopTest}.
 */
class TlsFailuresTest {
  static final String NO_CERT = "Read error: ssl=0x7f: Failure in SSL library, usually a protocol error\n"
      + "error:10000412:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE";

  @Test
  void aReasonCodeIsWordedForTheSideThatLogsIt() {
    Exception e = new IOException("stream failed", new SSLHandshakeException(NO_CERT));
    assertEquals("the client presented no certificate signed by our CA (PEER_DID_NOT_RETURN_A_CERTIFICATE)",
        TlsFailures.describe(TlsFailures.View.LISTENER, e));
    Exception plain = new SSLHandshakeException("error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER");
    assertEquals("not TLS (a plain-text client on a TLS port?) (WRONG_VERSION_NUMBER)",
        TlsFailures.describe(TlsFailures.View.LISTENER, plain));
    assertEquals("the server does not speak TLS (a plain finger port?) (WRONG_VERSION_NUMBER)",
        TlsFailures.describe(TlsFailures.View.HOP, plain));
  }

  @Test
  void aJdkMessageIsRecognisedByItsTextAndKeptInParentheses() {
    Exception e = new SSLHandshakeException("No subjectAltNames on the certificate match");
    assertEquals("hostname mismatch: the server certificate does not name the host dialled "
        + "(No subjectAltNames on the certificate match)", TlsFailures.describe(TlsFailures.View.HOP, e));
    Exception expired = new SSLHandshakeException("Chain validation failed: validity check failed: NotAfter: x");
    assertTrue(TlsFailures.describe(TlsFailures.View.LISTENER, expired)
        .startsWith("the client certificate has expired or is not yet valid (Chain validation failed: validity"));
  }

  @Test
  void anUnknownFailureIsItsOwnTextOnOneLine() {
    assertEquals("outer: inner two lines", TlsFailures.describe(TlsFailures.View.HOP,
        new IOException("outer", new IOException("inner\n  two lines"))));
    assertFalse(TlsFailures.isTls(new IOException("Connection refused")));
    assertTrue(TlsFailures.isTls(new IOException("x", new SSLHandshakeException("y"))));
  }
}

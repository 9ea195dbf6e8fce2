package org.fingerpost.transport.finger;

import java.security.cert.CertificateException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The one wording of TLS failures (docs/tls.md), for both ends of a finger hop: what a TLS listener
 * logs about a client it refused ({@link View#LISTENER}, {@link FingerServer}'s handshake monitor) and
 * what the dialling side logs about a hop that failed ({@link View#HOP}, the {@code tls} transport).
 * Here because both ends use it and this is the lowest module they share.
 *
 * <p>A reason is recognised from the exception chain of Conscrypt (BoringSSL reason codes such as
 * {@code OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE}) or of the JDK (message text), and said in
 * words from the point of view of the side that logs it, followed by the code (or, without one, the
 * exceptions' own text) in parentheses. An unrecognised failure is the exceptions' text. Stateless.
 */
public final class TlsFailures {
  /** Log line of a client refused by a TLS listener: listener name, peer address, {@link #describe} reason. */
  public static final String LISTENER_REFUSED = "{}: TLS handshake with {} failed, connection refused: {}";
  /** Log line of a client closed for a stalled handshake: listener name, peer address, timeout in ms. */
  public static final String LISTENER_STALLED = "{}: TLS handshake with {} not complete within {} ms, connection closed";
  /** Log line of a failed outgoing hop: host, port, SNI name, build id, {@link #describe} reason. */
  public static final String HOP_FAILED = "TLS hop to {}:{} (SNI {}) for build {} failed: {}";

  /** Which end of the hop logs the failure; the same reason is worded from its point of view. */
  public enum View {
    /** The TLS port that refused a client. */
    LISTENER,
    /** The side that dialled. */
    HOP
  }

  private static final Pattern BORINGSSL_REASON = Pattern.compile("OPENSSL_internal:([A-Z0-9_]+)");
  private static final String PLAIN_CLIENT = "not TLS (a plain-text client on a TLS port?)";
  private static final String PLAIN_SERVER = "the server does not speak TLS (a plain finger port?)";
  private static final String WRONG_HOST = "hostname mismatch: the server certificate does not name the host dialled";
  private static final String UNTRUSTED_SERVER = "the server certificate is not signed by tls_ca";
  /** Reason codes or message fragments and their wording, first match wins. */
  private static final Map<String, String> LISTENER = new LinkedHashMap<>();
  private static final Map<String, String> HOP = new LinkedHashMap<>();

  static {
    LISTENER.put("PEER_DID_NOT_RETURN_A_CERTIFICATE", "the client presented no certificate signed by our CA");
    LISTENER.put("SSLV3_ALERT_CERTIFICATE_UNKNOWN", "the peer rejected our certificate or sent one we do not trust");
    LISTENER.put("TLSV1_ALERT_UNKNOWN_CA", "the peer does not trust our CA");
    LISTENER.put("CERTIFICATE_VERIFY_FAILED", "the client certificate is not signed by the configured CA");
    LISTENER.put("WRONG_VERSION_NUMBER", PLAIN_CLIENT);
    LISTENER.put("HTTP_REQUEST", "not TLS (plain text on a TLS port)");
    LISTENER.put("UNSUPPORTED_PROTOCOL", "the client offers no TLS version of 1.2 or later");
    LISTENER.put("validity check failed", "the client certificate has expired or is not yet valid");
    LISTENER.put("Unsupported or unrecognized SSL message", PLAIN_CLIENT);
    LISTENER.put("plaintext", PLAIN_CLIENT);
    LISTENER.put("Unable to parse TLS packet header", PLAIN_CLIENT);

    HOP.put("TLSV1_ALERT_CERTIFICATE_REQUIRED", "the server requires a client certificate (tls_cert/tls_key not set?)");
    HOP.put("SSLV3_ALERT_CERTIFICATE_UNKNOWN", "the server refused our client certificate (not signed by its CA?)");
    HOP.put("SSLV3_ALERT_BAD_CERTIFICATE", "the server refused our client certificate");
    HOP.put("TLSV1_ALERT_UNKNOWN_CA", "the server does not trust the CA of our client certificate");
    HOP.put("CERTIFICATE_EXPIRED", "the server says our client certificate has expired");
    HOP.put("No subjectAltNames", WRONG_HOST);
    HOP.put("No name matching", WRONG_HOST);
    HOP.put("Trust anchor for certification path not found", UNTRUSTED_SERVER);
    HOP.put("unable to find valid certification path", UNTRUSTED_SERVER);
    HOP.put("validity check failed", "the server certificate has expired or is not yet valid");
    HOP.put("WRONG_VERSION_NUMBER", PLAIN_SERVER);
    HOP.put("Unable to parse TLS packet header", PLAIN_SERVER);
    HOP.put("Unsupported or unrecognized SSL message", PLAIN_SERVER);
  }

  private TlsFailures() {}

  /** Whether {@code failure} comes from TLS itself (handshake, certificates), not from plain networking. */
  public static boolean isTls(Throwable failure) {
    for (Throwable c = failure; c != null; c = next(c)) {
      if (c instanceof SSLException || c instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  /** One line: the reason in words for {@code view} when recognised, then the code or the exceptions' text. */
  public static String describe(View view, Throwable failure) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = failure; c != null; c = next(c)) {
      String m = c.getMessage();
      if (m != null && !sb.toString().contains(m)) {
        sb.append(sb.length() == 0 ? "" : ": ").append(m);
      }
    }
    String text = sb.toString().replaceAll("\\s*\\R\\s*", " ");
    Matcher m = BORINGSSL_REASON.matcher(text);
    String code = m.find() ? m.group(1) : null;
    for (Map.Entry<String, String> reason : (view == View.LISTENER ? LISTENER : HOP).entrySet()) {
      if (reason.getKey().equals(code) || text.contains(reason.getKey())) {
        return reason.getValue() + " (" + (code != null ? code : text) + ")";
      }
    }
    return text;
  }

  private static Throwable next(Throwable c) {
    return c.getCause() == c ? null : c.getCause();
  }
}

package org.fingerpost.transport.tls.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Says in words why an outgoing TLS hop failed, from the exception chain of Conscrypt or the JDK:
 * hostname mismatch, untrusted server, our certificate refused, a plain-text server. Stateless.
 */
public final class TlsFailures {
  private static final Pattern BORINGSSL_REASON = Pattern.compile("OPENSSL_internal:([A-Z0-9_]+)");
  private static final Map<String, String> HINTS = new LinkedHashMap<>();

  static {
    HINTS.put("TLSV1_ALERT_CERTIFICATE_REQUIRED", "the server requires a client certificate (tls_cert/tls_key not set?)");
    HINTS.put("SSLV3_ALERT_CERTIFICATE_UNKNOWN", "the server refused our client certificate (not signed by its CA?)");
    HINTS.put("SSLV3_ALERT_BAD_CERTIFICATE", "the server refused our client certificate");
    HINTS.put("TLSV1_ALERT_UNKNOWN_CA", "the server does not trust the CA of our client certificate");
    HINTS.put("CERTIFICATE_EXPIRED", "the server says our client certificate has expired");
    HINTS.put("No subjectAltNames", "hostname mismatch: the server certificate does not name the host dialled");
    HINTS.put("No name matching", "hostname mismatch: the server certificate does not name the host dialled");
    HINTS.put("Trust anchor for certification path not found", "the server certificate is not signed by tls_ca");
    HINTS.put("unable to find valid certification path", "the server certificate is not signed by tls_ca");
    HINTS.put("validity check failed", "the server certificate has expired or is not yet valid");
    HINTS.put("WRONG_VERSION_NUMBER", "the server does not speak TLS (a plain finger port?)");
    HINTS.put("Unable to parse TLS packet header", "the server does not speak TLS (a plain finger port?)");
    HINTS.put("Unsupported or unrecognized SSL message", "the server does not speak TLS (a plain finger port?)");
  }

  private TlsFailures() {}

  /** Whether {@code failure} comes from TLS itself (handshake, certificates), not from plain networking. */
  public static boolean isTls(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLException || c instanceof java.security.cert.CertificateException) {
        return true;
      }
    }
    return false;
  }

  /** One line: the reason in words when recognised, then the exception messages. */
  public static String describe(Throwable failure) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      if (m != null && !sb.toString().contains(m)) {
        sb.append(sb.length() == 0 ? "" : ": ").append(m);
      }
    }
    String text = sb.toString().replaceAll("\\s*\\R\\s*", " ");
    Matcher m = BORINGSSL_REASON.matcher(text);
    String key = m.find() ? m.group(1) : null;
    for (Map.Entry<String, String> hint : HINTS.entrySet()) {
      if (hint.getKey().equals(key) || text.contains(hint.getKey())) {
        return hint.getValue() + " (" + (key != null ? key : text) + ")";
      }
    }
    return text;
  }
}

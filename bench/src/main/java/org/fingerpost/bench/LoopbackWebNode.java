package org.fingerpost.bench;

import java.util.List;
import org.fingerpost.streams.LookupRateLimit;
import org.fingerpost.webapp.ConsoleStreamPolicy;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebSettings;

/**
 * A measured web node whose viewers are a load generator on the same host: thousands of "browsers"
 * from 127.0.0.1. Issue 15's per-address limits (1,024 connections, a lookup rate) are for the field;
 * here they would refuse the load, and the closed viewers of one pass would still count against the
 * next. Everything else keeps its default.
 */
final class LoopbackWebNode {
  private LoopbackWebNode() {}

  /** {@code settings} with no per-address lookup rate. */
  static WebSettings.Builder settings(WebSettings.Builder settings) {
    return settings.consoleStreams(ConsoleStreamPolicy.of(List.of(), LookupRateLimit.none()));
  }

  /** No total or per-address connection limit; the default accept queue. */
  static WebServer.Limits limits() {
    return new WebServer.Limits(0, 0, WebServer.Limits.DEFAULTS.acceptQueue());
  }
}

package org.fingerpost.packaging;

import picocli.CommandLine;

/** The version from the jar's manifest, or {@code dev} when run from classes. */
public final class Version implements CommandLine.IVersionProvider {

  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  @Override
  public String[] getVersion() {
    return new String[] {"fingerpost " + current()};
  }
}

package org.fingerpost.packaging;

import picocli.CommandLine;

/** The version from the jar's manifest, or {@code dev} when run from classes. */
public final class Version implements CommandLine.IVersionProvider {

  public static String current() {
    return org.fingerpost.registry.ComponentRegistration.VERSION;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"fingerpost " + current()};
  }
}
